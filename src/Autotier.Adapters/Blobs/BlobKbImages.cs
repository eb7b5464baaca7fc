using Autotier.Application.Ports;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Autotier.Adapters.Blobs;

/// <summary>Knowledge-base pictures in the container <c>autotier kb import</c> uploads them to.</summary>
public sealed class BlobKbImages(BlobContainerClient container) : IKbImages
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif", [".webp"] = "image/webp",
    };

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public Task UploadAsync(string name, Stream content, CancellationToken cancellationToken) =>
        container.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ContentType(name) } }, cancellationToken);

    public async Task<KbImage?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var result = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            return new KbImage(result.Value.Content.ToArray(), ContentType(name));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static string ContentType(string name) => Types.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
}
