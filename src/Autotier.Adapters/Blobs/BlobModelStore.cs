using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Autotier.Adapters.Blobs;

/// <summary>What classifier/current.json says: the version the app loads, and where it came from.</summary>
public sealed record PublishedModel(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("publishedAt")] string PublishedAt,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("client")] string? Client = null);

/// <summary>
/// Trained classifier models, versioned in Blob Storage (container <c>&lt;prefix&gt;-models</c>), as
/// the TypeScript's BlobModelStore: every published model stays as <c>classifier/vNNNN.bin.gz</c>,
/// and <c>classifier/current.json</c> names the one the app loads. A client's own model lives the
/// same way under <c>classifier/clients/&lt;client&gt;/</c> (the C# port's addition), so one client's
/// history trains its model without touching the others'.
/// </summary>
public sealed partial class BlobModelStore(BlobContainerClient container, string? client = null)
{
    private string Folder => client is null ? "classifier" : $"classifier/clients/{client}";

    private string Pointer => $"{Folder}/current.json";

    private string BlobName(int version) => $"{Folder}/v{version.ToString("D4", CultureInfo.InvariantCulture)}.bin.gz";

    public string? Client => client;

    /// <summary>The container name for a prefix: the TS's containerName(prefix, 'models').</summary>
    public static string ContainerName(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return $"{prefix.ToLowerInvariant()}-models";
    }

    /// <summary>The store a client's model (or, with no client, the deployment's) lives in.</summary>
    public static BlobModelStore For(BlobServiceClient service, string prefix, string? client)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (client is not null && !ClientId().IsMatch(client))
            throw new ArgumentException("A client id is letters, digits, '-' and '_' (at most 64).", nameof(client));
        return new BlobModelStore(service.GetBlobContainerClient(ContainerName(prefix)), client);
    }

    public async Task<PublishedModel> PublishAsync(byte[] model, IReadOnlyList<string> labels, string source, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var version = ((await CurrentAsync(cancellationToken))?.Version ?? 0) + 1;
        // The version's blob is written only if new (If-None-Match *): two publishers racing for
        // one number cannot overwrite each other's model; the loser fails and can publish again.
        await container.GetBlobClient(BlobName(version)).UploadAsync(
            new BinaryData(model),
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/gzip" },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            },
            cancellationToken);
        var pointer = new PublishedModel(version, at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), labels, source, client);
        await container.GetBlobClient(Pointer).UploadAsync(
            BinaryData.FromObjectAsJson(pointer),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
        return pointer;
    }

    public async Task<PublishedModel?> CurrentAsync(CancellationToken cancellationToken)
    {
        var data = await DownloadAsync(Pointer, cancellationToken);
        if (data is null) return null;
        try
        {
            return data.ToObjectFromJson<PublishedModel>();
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"{container.Name}/{Pointer} is not valid JSON");
        }
    }

    /// <summary>The current model's pointer and bytes; null when none was published.</summary>
    public async Task<(PublishedModel Info, byte[] Model)?> LoadCurrentAsync(CancellationToken cancellationToken)
    {
        var info = await CurrentAsync(cancellationToken);
        if (info is null) return null;
        var model = await DownloadAsync(BlobName(info.Version), cancellationToken)
            ?? throw new InvalidDataException($"model v{info.Version} is named current but its blob is missing");
        return (info, model.ToArray());
    }

    private async Task<BinaryData?> DownloadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var result = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            return result.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ClientId();
}
