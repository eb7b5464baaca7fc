using System.Collections.Concurrent;
using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Clients;
using Autotier.Domain.Playbooks;
using Azure.Core;
using Azure.Identity;

namespace Autotier.Adapters.Graph;

/// <summary>
/// Each client's directory, built from its profile's connection and kept while the connection is
/// unchanged (credentials cache their tokens, so they should live across invocations).
/// </summary>
/// <param name="setting">An app setting by name (the secret's setting, AZURE_CLIENT_ID).</param>
public sealed class GraphDirectories(Func<string, string?> setting, GraphDirectoryOptions? options = null) : IDirectories, IDisposable
{
    public const string DefaultSecretSetting = "AUTOTIER_DIRECTORY_CLIENT_SECRET";
    private const string TokenExchangeScope = "api://AzureADTokenExchange/.default";

    private readonly ConcurrentDictionary<string, (string Key, GraphDirectory Directory)> cache = new(StringComparer.Ordinal);

    public IDirectory? ForClient(ClientProfile client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.Directory is not { } connection) return null;
        var key = JsonSerializer.Serialize(connection, AutotierJson.Options);
        if (cache.TryGetValue(client.ClientId, out var hit) && hit.Key == key) return hit.Directory;
        var baseUrl = connection.BaseUrl is { Length: > 0 } url ? url : GraphDirectoryOptions.DefaultBaseUrl;
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
            throw Misconfigured($"baseUrl \"{baseUrl}\" is not an http(s) address");
        var directory = new GraphDirectory(CredentialFor(connection), (options ?? new GraphDirectoryOptions()) with { BaseUrl = baseUrl });
        // The replaced directory is left to the collector rather than disposed: a run on another
        // thread may still be using it.
        cache[client.ClientId] = (key, directory);
        return directory;
    }

    /// <summary>
    /// The credential a client's connection names. workload-identity is the one to use in Azure: the
    /// function app's managed identity proves itself to the app registration in the client's tenant
    /// (a federated credential on that app), so no secret exists. A user-assigned identity is picked
    /// by AZURE_CLIENT_ID, as elsewhere in the app.
    /// </summary>
    public TokenCredential? CredentialFor(DirectoryConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        switch (connection.Credential)
        {
            case DirectoryCredentials.None:
                return null;
            case DirectoryCredentials.ManagedIdentity:
                return ManagedIdentity();
            case DirectoryCredentials.ClientSecret:
            {
                var app = connection.AppId is { Length: > 0 } a ? a : throw Misconfigured("appId is missing");
                var name = connection.SecretSetting ?? DefaultSecretSetting;
                var secret = setting(name) is { Length: > 0 } s ? s : throw Misconfigured($"the app setting {name} is empty");
                return new ClientSecretCredential(connection.TenantId, app, secret);
            }
            case DirectoryCredentials.WorkloadIdentity:
            {
                var app = connection.AppId is { Length: > 0 } a ? a : throw Misconfigured("appId is missing");
                var identity = ManagedIdentity();
                return new ClientAssertionCredential(connection.TenantId, app, async ct =>
                    (await identity.GetTokenAsync(new TokenRequestContext([TokenExchangeScope]), ct).ConfigureAwait(false)).Token);
            }
            default:
                throw Misconfigured($"credential \"{connection.Credential}\" is not one of workload-identity, client-secret, managed-identity, none");
        }
    }

    private ManagedIdentityCredential ManagedIdentity() =>
        new(setting("AZURE_CLIENT_ID") is { Length: > 0 } id ? ManagedIdentityId.FromUserAssignedClientId(id) : ManagedIdentityId.SystemAssigned);

    private static DirectoryException Misconfigured(string message) =>
        new(DirectoryFailure.Rejected, $"the client's directory connection is incomplete: {message}");

    public void Dispose()
    {
        foreach (var (_, directory) in cache.Values) directory.Dispose();
        cache.Clear();
    }
}
