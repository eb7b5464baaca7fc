using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Kb;

namespace Autotier.UnitTests.Domain.Kb;

/// <summary>Articles and the demo client as the TypeScript kb tests build them.</summary>
internal static class KbFixtures
{
    public static readonly DateTimeOffset Updated = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The TypeScript DEMO_CLIENT's system profile: FortiClient, an HP at Main Street and a Brother at Riverside.</summary>
    public static readonly ClientProfile Demo = new("demo", "Demo Dental Practice")
    {
        SystemProfile = new SystemProfile
        {
            VpnProduct = "FortiClient",
            Printers = new Dictionary<string, string> { ["Main Street"] = "HP LaserJet Pro M404", ["Riverside"] = "Brother HL-L2350DW" },
        },
    };

    public static KbArticle Article(
        string articleId = "a",
        string clientId = KbArticles.AllClients,
        string category = Categories.VpnRemoteAccess,
        string title = "VPN help",
        string[]? steps = null,
        string[]? tags = null,
        KbVariant? variant = null,
        int uses = 0,
        int successes = 0) =>
        new(articleId, clientId, category, title, steps ?? ["Restart the VPN"], tags ?? [], [], variant, uses, successes, Updated);
}
