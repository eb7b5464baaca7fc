using Autotier.Application.Playbooks;
using Autotier.Domain.Classification;
using Autotier.Domain.Playbooks;
using Autotier.LocalHost.GraphEmulator;
using Autotier.TestSupport.Graph;
using Xunit;
using static Autotier.UnitTests.Application.Playbooks.PlaybookFixtures;

namespace Autotier.UnitTests.Application.Playbooks;

/// <summary>The password playbook against the Graph emulator over HTTP (the TypeScript playbooks tests' password_reset).</summary>
public sealed class PasswordPlaybookTests : PlaybookTestBase
{
    private Task<PlaybookRun> Run(string subject, string body = "", string email = "sam@demo.example",
        RequesterProof proof = RequesterProof.FromMailbox, string step = "playbook-1", Autotier.Domain.Clients.ClientProfile? client = null) =>
        Rig.Playbooks().RunAsync(PlaybookRig.Request(PlaybookRig.Ticket(Categories.PasswordReset, subject, body, email), client ?? Client, proof, step), default);

    [Fact(Timeout = 30_000)]
    public async Task Sends_the_self_service_reset_steps_to_a_user_registered_for_it_and_changes_nothing()
    {
        var run = Assert.IsType<PlaybookGuide>(await Run("Forgot my password"));
        Assert.Equal("sspr", run.Guide.ArticleId);
        Assert.Empty(run.Record!.Actions);
        Assert.Contains("Self-service reset registered; MFA registered (microsoftAuthenticatorPush).", run.Record.Findings);
        Assert.Empty(Rig.Graph.Passes);
        Assert.Empty(Rig.Mail.Sent);
    }

    [Fact(Timeout = 30_000)]
    public async Task Sends_a_Temporary_Access_Pass_only_to_the_verified_address_once_and_audits_it()
    {
        Sam.Registration = new EmulatedRegistration(false, true, true);
        var first = Assert.IsType<PlaybookGuide>(await Run("Forgot my password"));
        var pass = Rig.Graph.Passes[Sam.Id].Pass;
        var mail = Assert.Single(Rig.Mail.Sent);
        Assert.Equal("sam.home@example.org", mail.To);
        Assert.Equal("[#T-1001] Your one-time sign-in pass", mail.Subject);
        Assert.Contains(pass, mail.Text, StringComparison.Ordinal);
        Assert.Contains("s***@example.org", first.Guide.Intro, StringComparison.Ordinal);
        Assert.Equal("builtin-temporary-access-pass", first.Guide.ArticleId);
        var record = Assert.Single(await Rig.Log.ForClientAsync("demo", null, default));
        Assert.Equal(new Autotier.Application.Ports.ActionRecord(
            "demo", "T-1001", "playbook-1-pass", "2026-03-02T10:00:05.000Z", "autotier (app app-1)", "sam@demo.example",
            PlaybookActions.TemporaryAccessPass, "sam@demo.example",
            "one-time pass valid 60 minutes, sent to s***@example.org (a verified authentication email)",
            "Password help requested in T-1001 (\"Forgot my password\"); the sender matches the user, who is registered for MFA but not for self-service reset.",
            "done"), record);
        // The pass appears nowhere but that one mail: not in the result the ticket stores, not in the audit log.
        Assert.DoesNotContain(pass, System.Text.Json.JsonSerializer.Serialize<object>(first), StringComparison.Ordinal);
        Assert.DoesNotContain(pass, record.ToString(), StringComparison.Ordinal);

        // A retried activity finds the audit record and neither replaces the pass nor mails again.
        var again = Assert.IsType<PlaybookGuide>(await Run("Forgot my password"));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(first.Guide), System.Text.Json.JsonSerializer.Serialize(again.Guide));
        Assert.Equal(pass, Rig.Graph.Passes[Sam.Id].Pass);
        Assert.Single(Rig.Mail.Sent);
        Assert.Single(Rig.Graph.Requests, r => r.Path.EndsWith("temporaryAccessPassMethods", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task An_anonymous_request_gets_no_pass_until_the_address_is_proven()
    {
        Sam.Registration = new EmulatedRegistration(false, true, true);
        var run = Assert.IsType<PlaybookNeedsProof>(await Run("Forgot my password", proof: RequesterProof.None));
        Assert.Contains("nothing proves the requester owns the address", run.Why, StringComparison.Ordinal);
        Assert.Empty(Rig.Graph.Passes);
        Assert.Empty(Rig.Mail.Sent);
        Assert.Empty(await Rig.Log.ForClientAsync("demo", null, default));

        // The confirmation link was clicked: the same step runs again and the pass goes out.
        Assert.IsType<PlaybookGuide>(await Run("Forgot my password", proof: RequesterProof.ConfirmedLink));
        Assert.Single(Rig.Graph.Passes);
        Assert.Single(Rig.Mail.Sent);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_self_service_steps_need_no_proof_they_change_nothing()
    {
        Assert.IsType<PlaybookGuide>(await Run("Forgot my password", proof: RequesterProof.None));
    }

    [Fact(Timeout = 30_000)]
    public async Task Never_sends_a_pass_to_the_address_the_request_came_from()
    {
        Sam.Registration = new EmulatedRegistration(false, false, true);
        Sam.EmailMethods = ["Sam@demo.example"];
        var run = Assert.IsType<PlaybookStopped>(await Run("Forgot my password"));
        Assert.Contains("no verified contact email", run.Reason, StringComparison.Ordinal);
        Assert.Empty(Rig.Graph.Passes);
    }

    [Fact(Timeout = 30_000)]
    public async Task Escalates_a_requester_whose_address_matches_no_user()
    {
        var run = Assert.IsType<PlaybookStopped>(await Run("Forgot my password", email: "stranger@demo.example"));
        Assert.Contains("matches no single user", run.Reason, StringComparison.Ordinal);
        Assert.Contains("couldn't match your email address", run.Told, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Escalates_a_user_registered_for_neither_MFA_nor_self_service_reset()
    {
        Sam.Registration = new EmulatedRegistration(false, false, false);
        var run = Assert.IsType<PlaybookStopped>(await Run("Forgot my password"));
        Assert.Contains("not registered for MFA", run.Reason, StringComparison.Ordinal);
        Assert.Contains(run.Record!.Findings, f => f.Contains("MFA not registered", StringComparison.Ordinal));
        Assert.Equal(run.Reason, run.Record.StoppedBecause);
        Assert.Empty(Rig.Graph.Passes);
    }

    [Fact(Timeout = 30_000)]
    public async Task Hands_an_on_premises_lockout_to_an_engineer_with_the_account_details()
    {
        Sam.OnPremisesSyncEnabled = true;
        Sam.OnPremisesDomainName = "demo.local";
        Sam.OnPremisesSamAccountName = "slee";
        var locked = Assert.IsType<PlaybookStopped>(await Run("Locked out", "My account is locked out"));
        Assert.Matches(@"demo\.local\\slee.*on-premises Active Directory.*locked out", locked.Reason);
        // Without password writeback even a forgotten password is an engineer's job.
        Assert.Contains("password writeback is off", Assert.IsType<PlaybookStopped>(await Run("Forgot my password")).Reason, StringComparison.Ordinal);
        var writeback = Client with { Directory = Client.Directory! with { PasswordWriteback = true } };
        Assert.IsType<PlaybookGuide>(await Run("Forgot my password", client: writeback));
    }

    [Fact(Timeout = 30_000)]
    public async Task Escalates_a_disabled_account_and_never_says_it_is_resolved()
    {
        Sam.AccountEnabled = false;
        var run = Assert.IsType<PlaybookStopped>(await Run("Forgot my password"));
        Assert.Contains("disabled", run.Reason, StringComparison.Ordinal);
        Assert.Equal("Your account is switched off at the moment, so one of our engineers will check with your organisation.", run.Told);
        Assert.DoesNotContain("resolved", run.Told!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Good news", run.Told!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("The account is disabled.", run.Record!.Findings);
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_a_directory_connection_sends_the_self_service_steps_and_says_nothing_was_checked()
    {
        var run = Assert.IsType<PlaybookGuide>(await Run("Forgot my password", client: Client with { Directory = null }));
        Assert.Equal("sspr", run.Guide.ArticleId);
        Assert.Contains("no directory connection", run.Record!.Findings[0], StringComparison.Ordinal);
        Assert.Empty(Rig.Graph.Requests);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_client_that_turned_passes_off_gets_an_engineer()
    {
        Sam.Registration = new EmulatedRegistration(false, true, true);
        var off = Client with { Directory = Client.Directory! with { TemporaryAccessPass = false } };
        Assert.Contains("does not allow Temporary Access Passes", Assert.IsType<PlaybookStopped>(await Run("Forgot my password", client: off)).Reason, StringComparison.Ordinal);
        Assert.Empty(Rig.Graph.Passes);
    }
}
