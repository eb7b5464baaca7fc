using Autotier.Adapters.Graph;
using Autotier.Application.Playbooks;
using Autotier.Domain.Classification;
using Autotier.Domain.Playbooks;
using Autotier.LocalHost.GraphEmulator;
using Autotier.TestSupport.Graph;
using Xunit;
using static Autotier.UnitTests.Application.Playbooks.PlaybookFixtures;

namespace Autotier.UnitTests.Application.Playbooks;

/// <summary>Licences and group access against the Graph emulator (the TypeScript playbooks tests' software_access), and proof of ownership (issue #32, fix 9).</summary>
public sealed class AccessPlaybookTests : PlaybookTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Rig.Graph.Skus[VisioSku] = new EmulatedSku { SkuId = VisioSku, SkuPartNumber = "VISIOCLIENT", Enabled = 10, Consumed = 9 };
        Rig.Graph.Groups["g-acrobat"] = [];
    }

    private Task<PlaybookRun> Run(string subject, string body = "", string email = "sam@demo.example",
        RequesterProof proof = RequesterProof.FromMailbox, string step = "playbook-1", Autotier.Application.Ports.IDirectory? directory = null) =>
        Rig.Playbooks(directory).RunAsync(PlaybookRig.Request(PlaybookRig.Ticket(Categories.SoftwareAccess, subject, body, email), Client, proof, step), default);

    private int Assignments => Rig.Graph.Requests.Count(r => r.Path.EndsWith("assignLicense", StringComparison.Ordinal));

    [Fact(Timeout = 30_000)]
    public async Task Assigns_a_free_licence_audits_it_and_tells_the_requester()
    {
        var run = Assert.IsType<PlaybookGuide>(await Run("Need Visio", "Can I get Visio Plan 2 please?"));
        Assert.Equal([VisioSku], Sam.AssignedSkuIds);
        Assert.Contains("given your account access to Visio", run.Guide.Intro, StringComparison.Ordinal);
        var action = Assert.Single(run.Record!.Actions);
        Assert.Equal(new PlaybookAction(PlaybookActions.LicenceAssigned, "sam@demo.example", $"VISIOCLIENT ({VisioSku})"), action);
        Assert.Contains("VISIOCLIENT: 9 of 10 seats in use.", run.Record.Findings);
        var record = Assert.Single(await Rig.Log.ForClientAsync("demo", null, default));
        Assert.Equal((PlaybookActions.LicenceAssigned, "done"), (record.Action, record.Outcome));
        Assert.Matches("Access to Visio requested in T-1001.*within the approval limit", record.Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_second_run_of_the_step_finds_the_licence_assigned_and_assigns_nothing_more()
    {
        var first = Assert.IsType<PlaybookGuide>(await Run("Need Visio"));
        var again = Assert.IsType<PlaybookGuide>(await Run("Need Visio"));
        Assert.Equal(1, Assignments);
        Assert.Equal(10, Rig.Graph.Skus[VisioSku].Consumed);
        Assert.Equal(first.Guide.Intro, again.Guide.Intro);
        Assert.Equal(first.Record!.Actions, again.Record!.Actions);
        Assert.Single(await Rig.Log.ForClientAsync("demo", null, default));
    }

    [Fact(Timeout = 30_000)]
    public async Task An_anonymous_request_for_a_real_users_address_gets_no_licence()
    {
        var run = Assert.IsType<PlaybookNeedsProof>(await Run("Need Visio", "Please give me Visio", proof: RequesterProof.None));
        Assert.Contains("Visio licence", run.Why, StringComparison.Ordinal);
        Assert.Empty(Sam.AssignedSkuIds);
        Assert.Equal(0, Assignments);
        Assert.Equal(9, Rig.Graph.Skus[VisioSku].Consumed);
        Assert.Empty(await Rig.Log.ForClientAsync("demo", null, default));
        Assert.Empty(run.Record!.Actions);

        // The owner clicked the confirmation link: the same step runs and assigns it.
        Assert.IsType<PlaybookGuide>(await Run("Need Visio", "Please give me Visio", proof: RequesterProof.ConfirmedLink));
        Assert.Equal([VisioSku], Sam.AssignedSkuIds);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_anonymous_request_gets_no_group_access_either()
    {
        Assert.IsType<PlaybookNeedsProof>(await Run("Acrobat access", "I need Acrobat", proof: RequesterProof.None));
        Assert.Empty(Rig.Graph.Groups["g-acrobat"]);
        Assert.IsType<PlaybookGuide>(await Run("Acrobat access", "I need Acrobat", proof: RequesterProof.SignedIn));
        Assert.Contains(Sam.Id, Rig.Graph.Groups["g-acrobat"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Reports_a_licence_the_user_already_has_without_assigning_again()
    {
        Sam.AssignedSkuIds.Add(VisioSku);
        var run = Assert.IsType<PlaybookGuide>(await Run("Visio", "Visio says I have no licence"));
        Assert.Contains("already has Visio", run.Guide.Intro, StringComparison.Ordinal);
        Assert.Equal(0, Assignments);
        Assert.Empty(run.Record!.Actions);
    }

    [Fact(Timeout = 30_000)]
    public async Task Escalates_when_no_seat_is_free_with_the_count()
    {
        Rig.Graph.Skus[VisioSku].Consumed = 10;
        var run = Assert.IsType<PlaybookStopped>(await Run("Need Visio"));
        Assert.Contains("no free Visio licence (VISIOCLIENT: 10 of 10 in use)", run.Reason, StringComparison.Ordinal);
        Assert.Contains("licences are in use", run.Told, StringComparison.Ordinal);
        Assert.Equal(0, Assignments);
    }

    [Fact(Timeout = 30_000)]
    public async Task Escalates_a_product_that_is_not_self_service_costs_too_much_or_is_not_in_the_catalogue()
    {
        Assert.Contains("not on the client's self-service list", Assert.IsType<PlaybookStopped>(await Run("Power BI Pro licence please")).Reason, StringComparison.Ordinal);
        Assert.Contains("costs 185 a month per user, above the client's approval limit of 50",
            Assert.IsType<PlaybookStopped>(await Run("I need AutoCAD")).Reason, StringComparison.Ordinal);
        Assert.Contains("names no product in the client's catalogue", Assert.IsType<PlaybookStopped>(await Run("Please install Photoshop")).Reason, StringComparison.Ordinal);
        Assert.Contains("several products", Assert.IsType<PlaybookStopped>(await Run("Visio and Acrobat please")).Reason, StringComparison.Ordinal);
        Assert.Empty(Rig.Graph.Requests); // refused before touching the directory
    }

    [Fact(Timeout = 30_000)]
    public async Task Adds_the_user_to_the_group_that_grants_an_app_once()
    {
        var run = Assert.IsType<PlaybookGuide>(await Run("Acrobat access", "I need Acrobat to sign PDFs"));
        Assert.Contains(Sam.Id, Rig.Graph.Groups["g-acrobat"]);
        Assert.Single(run.Record!.Actions);
        var again = Assert.IsType<PlaybookGuide>(await Run("Acrobat access", step: "playbook-2"));
        Assert.Empty(again.Record!.Actions);
        Assert.Contains("already has Adobe Acrobat", again.Guide.Intro, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Escalates_an_unknown_requester_before_granting_anything()
    {
        var run = Assert.IsType<PlaybookStopped>(await Run("Need Visio", email: "stranger@demo.example"));
        Assert.Contains("matches no single user", run.Reason, StringComparison.Ordinal);
        Assert.Equal(9, Rig.Graph.Skus[VisioSku].Consumed);
    }

    [Fact(Timeout = 30_000)]
    public async Task Records_a_refused_assignment_as_failed_and_escalates_with_what_Graph_said()
    {
        Sam.UsageLocation = null;
        var run = Assert.IsType<PlaybookStopped>(await Run("Need Visio"));
        Assert.Matches("refused to assign the licence.*usage location", run.Reason);
        Assert.Contains("couldn't finish this automatically", run.Told, StringComparison.Ordinal);
        var record = Assert.Single(await Rig.Log.ForClientAsync("demo", null, default));
        Assert.Equal("failed", record.Outcome);
        Assert.Contains("usage location", record.Detail, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_error_that_lasts_ends_in_a_stop_that_says_why()
    {
        Rig.Graph.Fail(new GraphFault(503), new GraphFault(503));
        var run = Assert.IsType<PlaybookStopped>(await Run("Need Visio",
            directory: Rig.Directory(new GraphDirectoryOptions { MaxRetries = 1, RetryDelaySeconds = 0, AttemptTimeout = TimeSpan.FromSeconds(1) })));
        Assert.Contains("Microsoft Graph answered 503", run.Reason, StringComparison.Ordinal);
    }
}
