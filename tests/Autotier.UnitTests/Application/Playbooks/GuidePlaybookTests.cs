using Autotier.Adapters.Graph;
using Autotier.Application.Playbooks;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Kb;
using Autotier.LocalHost.GraphEmulator;
using Autotier.TestSupport.Graph;
using Xunit;
using static Autotier.UnitTests.Application.Playbooks.PlaybookFixtures;

namespace Autotier.UnitTests.Application.Playbooks;

/// <summary>The guides: the client's own (site-aware VPN and printer guides), device-aware, known errors; and Graph failures.</summary>
public sealed class GuidePlaybookTests : PlaybookTestBase
{
    private static readonly string[] PrinterArticles = ["hp-m404", "brother"];
    private async Task<T> Run<T>(string category, string subject, string body = "", string? device = null, ClientProfile? client = null,
        Autotier.Application.Ports.IDirectory? directory = null) where T : PlaybookRun =>
        Assert.IsType<T>(await Rig.Playbooks(directory).RunAsync(
            PlaybookRig.Request(PlaybookRig.Ticket(category, subject, body, device: device), client ?? Client), default));

    [Fact(Timeout = 30_000)]
    public async Task Sends_the_guide_for_the_printer_at_the_requesters_site_from_Entra_ID()
    {
        Assert.Equal("brother", (await Run<PlaybookGuide>(Categories.PrinterPeripheral, "Printer offline", device: Devices.Printer)).Guide.ArticleId);
        Sam.OfficeLocation = "Main Street";
        var main = await Run<PlaybookGuide>(Categories.PrinterPeripheral, "Printer offline", device: Devices.Printer);
        Assert.Equal("hp-m404", main.Guide.ArticleId);
        Assert.Equal(["demo/hp-m404/panel.png"], main.Guide.Images);
        Assert.Contains("The requester works at Main Street.", main.Record!.Findings);
    }

    [Fact(Timeout = 30_000)]
    public async Task Prefers_the_clients_own_list_of_user_sites()
    {
        var client = Client with
        {
            SystemProfile = Client.SystemProfile with { UserSites = new Dictionary<string, string> { ["Sam@demo.example"] = "Main Street" } },
        };
        Assert.Equal("hp-m404", (await Run<PlaybookGuide>(Categories.PrinterPeripheral, "Printer offline", device: Devices.Printer, client: client)).Guide.ArticleId);
        Assert.Empty(Rig.Graph.Requests);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_directory_that_cannot_answer_only_means_a_less_specific_printer_guide()
    {
        Rig.Graph.Fail(new GraphFault(500));
        var run = await Run<PlaybookGuide>(Categories.PrinterPeripheral, "Printer offline", device: Devices.Printer);
        Assert.Contains(run.Guide.ArticleId, PrinterArticles);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("My mouse stopped working", "mouse", "builtin-mouse-keyboard")]
    [InlineData("Keyboard keys not responding", "keyboard", "builtin-mouse-keyboard")]
    [InlineData("Scan to email fails", "scanner", "builtin-scanner")]
    [InlineData("Second monitor is black", "monitor", "builtin-display-dock")]
    [InlineData("Headset has no sound in Teams", "headset", "builtin-headset")]
    [InlineData("Desk phone has no dial tone", "phone", "builtin-desk-phone")]
    [InlineData("My device is not working", null, "builtin-peripheral")]
    public async Task A_peripheral_that_is_not_a_printer_never_gets_the_printer_guide(string subject, string? device, string articleId)
    {
        var run = await Run<PlaybookGuide>(Categories.PrinterPeripheral, subject, device: device);
        Assert.Equal(articleId, run.Guide.ArticleId);
        Assert.DoesNotContain("printer", run.Guide.Title, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(run.Guide.Steps, s => s.Contains("Printers", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_clients_own_article_about_the_device_is_sent_and_never_one_about_another_device()
    {
        await Rig.Kb.PutAsync(Article("logitech-receiver", Categories.PrinterPeripheral, "Wireless mouse not responding", ["mouse", "logitech"]), default);
        await Rig.Kb.PutAsync(Article("scan-folder", Categories.PrinterPeripheral, "Scan to folder on the copier", ["scanner"]), default);
        Assert.Equal("logitech-receiver", (await Run<PlaybookGuide>(Categories.PrinterPeripheral, "Mouse not working", device: Devices.Mouse)).Guide.ArticleId);
        Assert.Equal("scan-folder", (await Run<PlaybookGuide>(Categories.PrinterPeripheral, "Scanner not working", device: Devices.Scanner)).Guide.ArticleId);
        // A printer ticket gets a printer article, never the mouse or scanner one.
        var printer = await Run<PlaybookGuide>(Categories.PrinterPeripheral, "Printer offline", device: Devices.Printer);
        Assert.Contains(printer.Guide.ArticleId, PrinterArticles);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_printer_ticket_of_a_client_without_articles_gets_the_built_in_guide_naming_its_printer()
    {
        var none = new ClientProfile("globex", "Globex") { SystemProfile = Client.SystemProfile };
        var run = await Run<PlaybookGuide>(Categories.PrinterPeripheral, "Printer offline", device: Devices.Printer, client: none);
        Assert.Equal("builtin-printer", run.Guide.ArticleId);
        Assert.Contains(run.Guide.Steps, s => s.Contains("HP LaserJet Pro M404", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task Sends_the_guide_for_the_clients_VPN_product()
    {
        Assert.Equal("forticlient", (await Run<PlaybookGuide>(Categories.VpnRemoteAccess, "VPN will not connect")).Guide.ArticleId);
        var other = Client with { ClientId = "globex", SystemProfile = Client.SystemProfile with { VpnProduct = "GlobalProtect" } };
        var builtIn = await Run<PlaybookGuide>(Categories.VpnRemoteAccess, "VPN will not connect", client: other);
        Assert.Equal(("builtin-vpn", "Connecting with GlobalProtect"), (builtIn.Guide.ArticleId, builtIn.Guide.Title));
    }

    [Fact(Timeout = 30_000)]
    public async Task Sends_the_documented_fix_for_a_known_error_and_escalates_an_error_nobody_documented()
    {
        var known = await Run<PlaybookGuide>(Categories.SoftwareError, "Outlook keeps crashing", "It closes on start");
        Assert.Equal("outlook-crash", known.Guide.ArticleId);
        var unknown = await Run<PlaybookStopped>(Categories.SoftwareError, "Sage 50 error", "It shows error 0x80070005");
        Assert.Contains("no documented fix", unknown.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Engineering_work_has_no_playbook()
    {
        var run = await Run<PlaybookStopped>(Categories.Engineering, "Server down");
        Assert.Equal("no documented playbook for this request", run.Reason);
        Assert.Null(run.Record);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_connection_that_cannot_work_is_a_stop_for_a_person()
    {
        var runner = new PlaybookRunner(new GraphDirectories(_ => null), new Autotier.Application.Kb.KnowledgeBase(Rig.Kb, TimeProvider.System), Rig.Log, Rig.Mail);
        var broken = Client with { Directory = new Autotier.Domain.Playbooks.DirectoryConnection("t", Autotier.Domain.Playbooks.DirectoryCredentials.ClientSecret) { AppId = "app-1" } };
        var run = Assert.IsType<PlaybookStopped>(await runner.RunAsync(PlaybookRig.Request(PlaybookRig.Ticket(Categories.PasswordReset, "Forgot my password"), broken), default));
        Assert.Equal("the client's directory connection is incomplete: the app setting AUTOTIER_DIRECTORY_CLIENT_SECRET is empty", run.Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task Throttling_that_lasts_ends_in_a_stop_with_the_wait_Graph_asked_for()
    {
        Rig.Graph.Fail(new GraphFault(429, "1"), new GraphFault(429, "1"));
        var run = await Run<PlaybookStopped>(Categories.PasswordReset, "Forgot my password",
            directory: Rig.Directory(new GraphDirectoryOptions { MaxRetries = 1, AttemptTimeout = TimeSpan.FromSeconds(1) }));
        Assert.Contains("throttling requests (find the user); it asked to wait 1 s", run.Reason, StringComparison.Ordinal);
        Assert.Contains("couldn't finish this automatically", run.Told, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_timeout_after_the_checks_that_did_succeed()
    {
        Rig.Graph.Fail(new GraphFault(Hang: TimeSpan.FromSeconds(5), Path: new System.Text.RegularExpressions.Regex("userRegistrationDetails")));
        var run = await Run<PlaybookStopped>(Categories.PasswordReset, "Forgot my password",
            directory: Rig.Directory(new GraphDirectoryOptions { MaxRetries = 1, AttemptTimeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Contains("did not answer in time (read the sign-in registration)", run.Reason, StringComparison.Ordinal);
        Assert.Contains(run.Record!.Findings, f => f.Contains("matches the requester's address", StringComparison.Ordinal));
    }
}
