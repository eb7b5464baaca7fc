using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Kb;
using Autotier.Domain.Playbooks;
using Autotier.LocalHost.GraphEmulator;
using Autotier.TestSupport.Graph;
using Xunit;

namespace Autotier.UnitTests.Application.Playbooks;

/// <summary>The TypeScript playbooks tests' client, catalogue, articles and Sam.</summary>
internal static class PlaybookFixtures
{
    public const string VisioSku = "c5928f49-12ba-48f7-ada3-0d743a3601d5";

    public static readonly IReadOnlyList<AccessProduct> Products =
    [
        new("Visio", true) { Aliases = ["visio plan 2"], Sku = "VISIOCLIENT", MonthlyCost = 12 },
        new("Adobe Acrobat", true) { Aliases = ["acrobat"], GroupId = "g-acrobat", MonthlyCost = 15 },
        new("Power BI Pro", false) { Sku = "POWER_BI_PRO", MonthlyCost = 9 },
        new("AutoCAD", true) { GroupId = "g-autocad", MonthlyCost = 185 },
    ];

    public static readonly ClientProfile Client = new("demo", "Demo Dental Practice")
    {
        SystemProfile = new SystemProfile
        {
            VpnProduct = "FortiClient",
            Printers = new Dictionary<string, string> { ["Main Street"] = "HP LaserJet Pro M404", ["Riverside"] = "Brother HL-L2350DW" },
        },
        Directory = new DirectoryConnection("11111111-2222-3333-4444-555555555555", DirectoryCredentials.None) { AppId = "app-1" },
        Access = new AccessPolicy(50, Products),
    };

    public static KbArticle Article(string id, string category, string title, string[]? tags = null, KbVariant? variant = null, string[]? images = null) =>
        new(id, "demo", category, title, ["Step one.", "Step two."], tags ?? [], images ?? [], variant, 0, 0, PlaybookRig.At);

    public static readonly IReadOnlyList<KbArticle> Articles =
    [
        Article("sspr", Categories.PasswordReset, "Reset your password yourself", ["password"]),
        Article("hp-m404", Categories.PrinterPeripheral, "HP LaserJet Pro M404 offline", variant: new KbVariant(PrinterModel: "HP LaserJet Pro M404"), images: ["demo/hp-m404/panel.png"]),
        Article("brother", Categories.PrinterPeripheral, "Brother HL-L2350DW offline", variant: new KbVariant(PrinterModel: "Brother HL-L2350DW")),
        Article("forticlient", Categories.VpnRemoteAccess, "FortiClient will not connect", variant: new KbVariant(VpnProduct: "FortiClient")),
        Article("outlook-crash", Categories.SoftwareError, "When Outlook keeps crashing", ["outlook", "crash", "error"]),
    ];

    public static async Task<PlaybookRig> RigAsync()
    {
        var rig = await PlaybookRig.StartAsync();
        foreach (var a in Articles) await rig.Kb.PutAsync(a, default);
        return rig;
    }

    public static EmulatedUser AddSam(GraphEmulator graph) => graph.AddUser(new EmulatedUser
    {
        UserPrincipalName = "sam@demo.example",
        Mail = "sam@demo.example",
        DisplayName = "Sam Lee",
        UsageLocation = "GB",
        OfficeLocation = "Riverside",
        Registration = new EmulatedRegistration(true, true, true),
        EmailMethods = ["sam.home@example.org"],
    });
}

/// <summary>A rig per test (the emulator on its own port, the playbooks, Sam in the tenant), as the TypeScript tests' beforeEach.</summary>
public abstract class PlaybookTestBase : IAsyncLifetime
{
    protected PlaybookRig Rig { get; private set; } = null!;
    protected EmulatedUser Sam { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Rig = await PlaybookFixtures.RigAsync();
        Sam = PlaybookFixtures.AddSam(Rig.Graph);
    }

    public async Task DisposeAsync() => await Rig.DisposeAsync();
}
