using Autotier.Adapters.Files;
using Autotier.Application.Ports;
using Autotier.Domain.Clients;

namespace Autotier.LocalHost.Dev;

/// <summary>
/// The <c>demo</c> client that the quick start's tickets name, and the starter knowledge base from
/// <c>kb/</c>, as <c>npm start</c> seeds them: each written only when missing (a profile edited by
/// hand, or articles imported since, survive a restart).
/// </summary>
public static class DemoSeed
{
    public const string ClientId = "demo";

    /// <summary>The TypeScript app's <c>DEMO_CLIENT</c> (its name, London hours, VIP and mail domain) as far as the ported slices read it (the starter articles' variants fit it).</summary>
    public static ClientProfile Client { get; } = new(ClientId, "Demo Dental Group")
    {
        BusinessHours = new Domain.Lifecycle.BusinessHours("Europe/London", [1, 2, 3, 4, 5], "08:00", "18:00"),
        VipEmails = ["owner@demo.example"],
        EmailDomains = ["demo.example"],
        SystemProfile = new SystemProfile
        {
            Devices = ["20 Windows 11 laptops", "3 reception PCs"],
            Software = ["Microsoft 365 Business Premium", "Dentrix", "Adobe Acrobat"],
            RecentChanges = ["Moved to Microsoft 365 MFA in October"],
            VpnProduct = "FortiClient",
            Printers = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Main Street"] = "HP LaserJet Pro M404",
                ["Riverside"] = "Brother HL-L2350DW",
            },
        },
    };

    public static async Task EnsureAsync(IClientStore clients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        if (await clients.GetAsync(ClientId, cancellationToken) is null)
            await clients.SaveAsync(Client, cancellationToken);
    }

    /// <summary>Imports the articles of <paramref name="kbFolder"/> into an empty knowledge base; returns how many (0 when it had some, or there is no such folder).</summary>
    public static async Task<int> EnsureKbAsync(IKbStore kb, IKbImages images, string kbFolder, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kb);
        ArgumentNullException.ThrowIfNull(time);
        if (!Directory.Exists(kbFolder) || (await kb.AllAsync(cancellationToken)).Count > 0) return 0;
        return await KbFolder.ImportAsync(KbFolder.Read(kbFolder, time.GetUtcNow()), kb, images, cancellationToken);
    }
}
