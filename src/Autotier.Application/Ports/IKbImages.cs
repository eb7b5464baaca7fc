namespace Autotier.Application.Ports;

/// <summary>A knowledge-base picture: its bytes and media type.</summary>
public sealed record KbImage(byte[] Content, string ContentType);

/// <summary>The knowledge base's pictures (Blob Storage: <c>&lt;prefix&gt;-kb</c>), by the blob names articles list.</summary>
public interface IKbImages
{
    /// <summary>Creates the container if it is missing (the CLI's import).</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken);

    /// <summary>Stores the picture under the name, replacing one there.</summary>
    Task UploadAsync(string name, Stream content, CancellationToken cancellationToken);

    /// <summary>The picture, or null when it is missing (a mail then goes without it).</summary>
    Task<KbImage?> ReadAsync(string name, CancellationToken cancellationToken);
}
