using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Playbooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Autotier.LocalHost.GraphEmulator;

/// <summary>
/// The demo client's Entra ID, served by the local host on its own port at
/// <c>/_emulator/graph/v1.0</c> (the TypeScript src/local/demoTenant.ts): one user for each way the
/// password playbook goes (and the quick start's Sam), plus two licences. It lives in memory:
/// every start begins from this state (a Visio seat given away comes back).
/// </summary>
public static class DemoTenant
{
    /// <summary>Where the local host serves the demo tenant's Microsoft Graph, on its own port.</summary>
    public const string Path = "/_emulator/graph";

    private const string TenantId = "demo";

    public const string VisioSkuId = "c5928f49-12ba-48f7-ada3-0d743a3601d5";
    public const string ProjectSkuId = "53818b1b-4a27-454b-8896-0dba576410e6";

    /// <summary>What the demo client may grant: Visio has free seats in the tenant, Microsoft Project has none.</summary>
    public static AccessPolicy Access { get; } = new(30,
    [
        new AccessProduct("Visio", true) { Aliases = ["visio plan 2"], Sku = "VISIOCLIENT", MonthlyCost = 12 },
        new AccessProduct("Microsoft Project", true) { Aliases = ["ms project", "project plan 3"], Sku = "PROJECTPROFESSIONAL", MonthlyCost = 25 },
    ]);

    /// <summary>The demo tenant, fresh.</summary>
    public static GraphEmulator Create()
    {
        var graph = new GraphEmulator();
        void User(int n, string local, string name, Action<EmulatedUser>? more = null)
        {
            var user = new EmulatedUser
            {
                Id = $"00000000-0000-4000-8000-{n:D12}",
                UserPrincipalName = $"{local}@demo.example",
                Mail = $"{local}@demo.example",
                DisplayName = name,
                UsageLocation = "GB",
                OfficeLocation = "Main Street",
            };
            more?.Invoke(user);
            graph.AddUser(user);
        }
        static EmulatedRegistration Registered(bool sspr, bool mfa) => new(sspr, true, mfa);
        User(1, "sam", "Sam Lee", u => u.Registration = Registered(true, true));
        User(2, "sspr", "Sasha Price", u => u.Registration = Registered(true, true));
        User(3, "mfa-only", "Morgan Fox", u =>
        {
            u.OfficeLocation = "Riverside";
            u.Registration = Registered(false, true);
            u.EmailMethods = ["mfa-only@personal.example"];
        });
        User(4, "no-methods", "Noel Hart", u => u.Registration = Registered(false, false));
        User(5, "disabled", "Dana Cole", u =>
        {
            u.AccountEnabled = false;
            u.Registration = Registered(true, true);
        });
        graph.Skus[VisioSkuId] = new EmulatedSku { SkuId = VisioSkuId, SkuPartNumber = "VISIOCLIENT", Enabled = 5, Consumed = 3 };
        graph.Skus[ProjectSkuId] = new EmulatedSku { SkuId = ProjectSkuId, SkuPartNumber = "PROJECTPROFESSIONAL", Enabled = 2, Consumed = 2 };
        return graph;
    }

    /// <summary>The demo tenant as a client's directory connection (no token: the emulator asks for none).</summary>
    public static DirectoryConnection Directory(string graphBaseUrl) =>
        new(TenantId, DirectoryCredentials.None) { BaseUrl = graphBaseUrl };

    private static bool IsDemoTenant(DirectoryConnection? directory) =>
        directory is { TenantId: TenantId, Credential: DirectoryCredentials.None };

    /// <summary>
    /// Serves a fresh demo tenant on the local host's port and returns it. Call before the host starts.
    /// </summary>
    public static GraphEmulator Map(WebApplication web)
    {
        var graph = Create();
        graph.Map(web, Path);
        return graph;
    }

    /// <summary>
    /// Points the stored client at the demo tenant, on the port the host listens on. A profile from
    /// an older run has no directory or catalogue: both are added; a directory that is the demo
    /// tenant's follows the emulator's current address (the port may have changed). A directory or
    /// catalogue someone set up themselves is left alone. Returns whether the profile changed.
    /// </summary>
    public static async Task<bool> ConnectAsync(IClientStore clients, string clientId, string graphBaseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var stored = await clients.GetAsync(clientId, cancellationToken);
        if (stored is null) return false;
        var profile = stored with
        {
            Access = stored.Access ?? Access,
            Directory = stored.Directory is null || IsDemoTenant(stored.Directory) ? Directory(graphBaseUrl) : stored.Directory,
        };
        if (JsonSerializer.Serialize(profile, AutotierJson.Options) == JsonSerializer.Serialize(stored, AutotierJson.Options)) return false;
        await clients.SaveAsync(profile, cancellationToken);
        return true;
    }

    /// <summary>The local host's own demo tenant address, once Kestrel listens: <c>http://127.0.0.1:PORT/_emulator/graph</c>.</summary>
    public static string BaseUrlOf(WebApplication web)
    {
        ArgumentNullException.ThrowIfNull(web);
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + Path;
    }
}
