using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Autotier.Adapters;

/// <summary>
/// The storage account, as the Functions host reads a connection named <c>AzureWebJobsStorage</c>:
/// either a connection string (Azurite locally), or the identity-based form the infra deploys
/// (<c>AzureWebJobsStorage__tableServiceUri</c>, <c>__queueServiceUri</c>, <c>__blobServiceUri</c>,
/// with <c>__credential=managedidentity</c> and <c>__clientId</c> for a user-assigned identity).
/// </summary>
public sealed record StorageConnection(string? ConnectionString, Uri? TableServiceUri, Uri? QueueServiceUri, TokenCredential? Credential)
{
    public const string Name = "AzureWebJobsStorage";

    public static StorageConnection From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return From(setting => configuration[setting.Replace("__", ":", StringComparison.Ordinal)]);
    }

    /// <summary>From settings by their environment variable names (<c>AzureWebJobsStorage__tableServiceUri</c>); the CLI reads them so.</summary>
    public static StorageConnection From(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (setting(Name) is { Length: > 0 } connectionString) return new(connectionString, null, null, null);
        var blobs = setting($"{Name}__blobServiceUri");
        var tables = setting($"{Name}__tableServiceUri");
        if (string.IsNullOrWhiteSpace(tables))
        {
            throw new InvalidOperationException(
                $"{Name} is not set: give a connection string (Azurite locally) or {Name}__tableServiceUri and {Name}__queueServiceUri with a managed identity");
        }
        var queues = setting($"{Name}__queueServiceUri")
            ?? throw new InvalidOperationException($"{Name}__tableServiceUri is set but {Name}__queueServiceUri is not");
        return new(null, new Uri(tables), new Uri(queues), CredentialFor(setting($"{Name}__credential"), setting($"{Name}__clientId")))
        {
            BlobServiceUri = string.IsNullOrWhiteSpace(blobs) ? null : new Uri(blobs),
        };
    }

    public TableServiceClient Tables(TableClientOptions options) => ConnectionString is { } s
        ? new TableServiceClient(s, options)
        : new TableServiceClient(TableServiceUri!, Credential!, options);

    /// <summary>The blob endpoint of the identity form (<c>__blobServiceUri</c>: published models, KB pictures); a connection string names its own.</summary>
    public Uri? BlobServiceUri { get; init; }

    public BlobServiceClient Blobs(BlobClientOptions options) => ConnectionString is { } s
        ? new BlobServiceClient(s, options)
        : new BlobServiceClient(BlobServiceUri ?? throw new InvalidOperationException($"{Name}__blobServiceUri is not set"), Credential!, options);

    public QueueServiceClient Queues(QueueClientOptions options) => ConnectionString is { } s
        ? new QueueServiceClient(s, options)
        : new QueueServiceClient(QueueServiceUri!, Credential!, options);

    /// <summary>
    /// <c>managedidentity</c> with a client id is the user-assigned identity the infra gives the app;
    /// without <c>credential</c>, the default chain (a developer's Azure CLI sign-in, say).
    /// </summary>
    private static TokenCredential CredentialFor(string? credential, string? clientId) =>
        string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is { Length: > 0 } ? ManagedIdentityId.FromUserAssignedClientId(clientId) : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
}
