using Autotier.Application.Ports;
using Autotier.Domain.Clients;

namespace Autotier.LocalHost.Dev;

/// <summary>
/// The <c>demo</c> client that the quick start's tickets name, as <c>npm start</c> seeds it. An
/// existing demo profile is left as it is (a profile edited by hand survives a restart).
/// </summary>
public static class DemoSeed
{
    public const string ClientId = "demo";

    public static async Task EnsureAsync(IClientStore clients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        if (await clients.GetAsync(ClientId, cancellationToken) is null)
            await clients.SaveAsync(new ClientProfile(ClientId, "Demo Dental Practice"), cancellationToken);
    }
}
