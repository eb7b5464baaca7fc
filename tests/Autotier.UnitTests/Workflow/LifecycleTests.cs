using Autotier.Application.Playbooks;
using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Resolutions;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Durable;
using Microsoft.DurableTask.Client;
using Xunit;

namespace Autotier.UnitTests.Workflow;

/// <summary>
/// The ticket lifecycle on the fake clock (the TypeScript lifecycle's scenarios): the same
/// orchestration and activities as the app, over in-memory ports, with days passing in milliseconds.
/// </summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private LifecycleHarness h = null!;

    public static readonly TicketClassification Password =
        new(Categories.PasswordReset, Priorities.P3, 0.92, Routes.Auto, 1, ["model: password_reset 0.92"], Playbook: "password_reset", DecidedBy: DecidedBy.Model);

    public static readonly TicketClassification Vpn =
        new(Categories.VpnRemoteAccess, Priorities.P3, 0.9, Routes.Auto, 1, ["model: vpn_remote_access 0.9"], Playbook: "vpn_remote_access", DecidedBy: DecidedBy.Model);

    public static readonly TicketClassification Server =
        new(Categories.Engineering, Priorities.P2, 0.95, Routes.Escalate, 2, ["server: the file server is down"], DecidedBy: DecidedBy.Rules);

    public static readonly TicketClassification Outage =
        new(Categories.Engineering, Priorities.P1, 0.97, Routes.Escalate, 2, ["outage: nobody can work"], DecidedBy: DecidedBy.Rules);

    public async Task InitializeAsync() => h = await LifecycleHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task A_yes_to_the_guide_resolves_it_for_the_requester_and_the_reopen_window_closes_it()
    {
        var id = await h.FileAsync(Password);

        var guide = Assert.Single(h.MailsTo());
        Assert.Contains("/confirm?token=", guide.Text, StringComparison.Ordinal);
        Assert.Equal(Stage.AwaitingConfirmation, (await h.TicketAsync(id)).Stage);

        await h.RaiseAsync(id, TicketEvent.ConfirmationOf("yes"));

        var ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.Resolved, ticket.Stage);
        Assert.Equal(ResolvedBy.Requester, ticket.Resolution!.By);
        Assert.Equal(2, h.MailsTo().Count);
        Assert.Contains(h.Resolutions.All, r => r.TicketId == id && r.Outcome == Outcomes.ResolvedConfirmed);

        await h.AdvanceAsync(TimeSpan.FromDays(8));
        var (status, runtime) = await h.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, runtime);
        Assert.Equal("closed", status!.Stage);
        Assert.Equal(Stage.Closed, (await h.TicketAsync(id)).Stage);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_no_escalates_with_the_package_and_an_engineers_plan_and_fix_reach_the_requester_but_never_the_internal_note()
    {
        var id = await h.FileAsync(Password);
        await h.RaiseAsync(id, TicketEvent.ConfirmationOf("no"));

        var ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.Escalated, ticket.Stage);
        Assert.Equal(RequesterAnswers.No, ticket.Escalation!.Automation.RequesterAnswer);
        Assert.Equal("Reset your password", ticket.Escalation.Automation.Attempted);
        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "escalation" && a.Tier == 1);
        // The guide, then "an engineer has it", and nothing else yet.
        Assert.Collection(h.MailsTo(),
            m => Assert.Contains("Reset your password", m.Subject, StringComparison.Ordinal),
            m => Assert.Contains("An engineer is on it", m.Subject + " / " + m.Text, StringComparison.Ordinal));

        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Plan) { By = "alex", Note = "INTERNAL: check the AD sync", PublicNote = "I'm checking your account now." });
        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Resolved) { By = "alex", Note = "INTERNAL: unlocked in AD", PublicNote = "Your account is unlocked." });

        ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.Resolved, ticket.Stage);
        Assert.Equal(ResolvedBy.Engineer, ticket.Resolution!.By);
        Assert.Equal("alex", ticket.Owner);
        Assert.NotNull(ticket.RespondedAt);
        var mails = h.MailsTo();
        Assert.Equal(4, mails.Count);
        Assert.Contains("I'm checking your account now.", mails[2].Text, StringComparison.Ordinal);
        Assert.Contains("Your account is unlocked.", mails[3].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(mails, m => m.Text.Contains("INTERNAL", StringComparison.Ordinal) || m.Html.Contains("INTERNAL", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Silence_brings_a_reminder_then_the_categorys_policy_a_guide_closes_unconfirmed_a_password_escalates()
    {
        var vpn = await h.FileAsync(Vpn, "VPN will not connect", "FortiClient says the gateway is unreachable.");
        var password = await h.FileAsync(Password);

        await h.AdvanceAsync(TimeSpan.FromHours(25));
        Assert.Contains(h.MailsTo(), m => m.Subject.Contains(vpn, StringComparison.Ordinal) && m.Subject.Contains("Did the steps help?", StringComparison.Ordinal));

        await h.AdvanceAsync(TimeSpan.FromHours(25));
        var closed = await h.TicketAsync(vpn);
        Assert.Equal(Stage.Closed, closed.Stage);
        Assert.Equal(ResolvedBy.Silence, closed.Resolution!.By);
        var escalated = await h.TicketAsync(password);
        Assert.Equal(Stage.Escalated, escalated.Stage);
        Assert.Equal(RequesterAnswers.Silence, escalated.Escalation!.Automation.RequesterAnswer);
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_a_plan_the_ticket_goes_up_the_tiers_and_a_plan_stops_the_chain()
    {
        var id = await h.FileAsync(Server with { Tier = 1 }, "File server down", "The S: drive is gone for everyone.");
        Assert.Equal(1, (await h.TicketAsync(id)).Tier);

        await h.AdvanceAsync(TimeSpan.FromMinutes(31));
        Assert.Equal(2, (await h.TicketAsync(id)).Tier);
        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "tier_handoff" && a.Tier == 2);

        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Plan) { By = "kim", Note = "Restarting the file server service" });
        await h.AdvanceAsync(TimeSpan.FromMinutes(120));
        Assert.Equal(2, (await h.TicketAsync(id)).Tier);
        Assert.DoesNotContain(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "tier_handoff" && a.Tier == 3);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_P1_pages_on_call_at_once_and_again_until_a_plan_and_its_sla_alerts_go_to_on_call()
    {
        var id = await h.FileAsync(Outage, "Internet down for the whole office", "Nobody can work.");
        Assert.Single(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "p1_page" && a.Audience == Autotier.Domain.Alerts.Audience.OnCall);

        await h.AdvanceAsync(TimeSpan.FromMinutes(31));
        Assert.Equal(2, h.Alerts.Alerts.Count(a => a.TicketId == id && a.Kind == "p1_repage"));

        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Plan) { By = "kim", Note = "ISP ticket raised", PublicNote = "We're on it with your internet provider." });
        await h.AdvanceAsync(TimeSpan.FromMinutes(60));
        Assert.Equal(2, h.Alerts.Alerts.Count(a => a.TicketId == id && a.Kind == "p1_repage"));

        // 240 minutes around the clock: warning at 180, breach at 240, both to on-call.
        await h.AdvanceAsync(TimeSpan.FromHours(3));
        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "sla_warning" && a.Audience == Autotier.Domain.Alerts.Audience.OnCall);
        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "sla_breach" && a.Audience == Autotier.Domain.Alerts.Audience.OnCall);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_breached_ticket_that_stays_open_keeps_a_next_deadline_and_re_alerts_its_owner_and_the_duty_manager()
    {
        var id = await h.FileAsync(Server, "File server down", "The S: drive is gone.");
        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Plan) { By = "kim", Note = "Looking" });
        await h.AdvanceAsync(TimeSpan.FromDays(11));

        var (status, runtime) = await h.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Running, runtime);
        Assert.NotNull(status!.NextDeadline);
        Assert.Equal("breachReminder", status.NextDeadlineIs);
        var reminders = h.Alerts.Alerts.Where(a => a.TicketId == id && a.Kind == "sla_breach_reminder").ToList();
        Assert.Contains(reminders, a => a.Audience == Autotier.Domain.Alerts.Audience.Manager);
        Assert.Contains(reminders, a => a.Audience is null);
        // Bounded: the interval grows to a working day, so eleven days bring tens, not hundreds.
        Assert.InRange(reminders.Count, 10, 60);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_reply_after_the_close_that_says_it_broke_again_reopens_and_the_ticket_no_longer_says_the_requester_resolved_it()
    {
        var id = await h.FileAsync(Password);
        await h.RaiseAsync(id, TicketEvent.ConfirmationOf("yes"));
        Assert.Equal(ResolvedBy.Requester, (await h.TicketAsync(id)).Resolution!.By);

        await h.AdvanceAsync(TimeSpan.FromDays(2));
        await h.ReplyAsync(id, "It has locked me out again.");

        var ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.Escalated, ticket.Stage);
        Assert.Equal(1, ticket.Reopens);
        Assert.Null(ticket.Resolution);
        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "reopened");
        Assert.Contains(h.Resolutions.All, r => r.TicketId == id && r.Outcome == Outcomes.Reopened);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_uncertain_ticket_starts_at_tier_one_with_one_question_and_a_clear_answer_goes_to_automation()
    {
        var unsure = new TicketClassification(Categories.SoftwareError, Priorities.P3, 0.45, Routes.Clarify, 2, ["model: unsure"], Question: "Which program shows the error?");
        h.Classifier.Answer = Password;
        var id = await h.FileAsync(unsure, "It does not work", "Help please");

        var question = Assert.Single(h.MailsTo());
        Assert.Contains("Which program shows the error?", question.Text, StringComparison.Ordinal);
        Assert.Empty(h.Alerts.Alerts);

        await h.ReplyAsync(id, "I forgot my password and cannot sign in to Windows.");

        Assert.Equal(Stage.AwaitingConfirmation, (await h.TicketAsync(id)).Stage);
        Assert.Equal(Categories.PasswordReset, (await h.TicketAsync(id)).Classification!.Category);
        Assert.Single(h.Playbooks.Asked);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_playbook_that_changes_an_account_waits_for_proof_and_runs_once_the_link_is_used()
    {
        h.Playbooks.Answer = r => r.Proof == RequesterProof.None
            ? new PlaybookNeedsProof("assigning a Visio licence")
            : new PlaybookGuide(new Autotier.Domain.Playbooks.Guide("visio", "Visio is yours", ["Open Visio"]));
        var id = await h.FileAsync(Password with { Category = Categories.SoftwareAccess }, "Need Visio", "Please give me Visio.");

        var ask = Assert.Single(h.MailsTo());
        Assert.Contains("/verify?token=", ask.Text, StringComparison.Ordinal);
        Assert.Single(h.Playbooks.Asked);

        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Proof));

        Assert.Equal(2, h.Playbooks.Asked.Count);
        Assert.Equal(RequesterProof.ConfirmedLink, h.Playbooks.Asked.Last().Proof);
        Assert.Equal(Stage.AwaitingConfirmation, (await h.TicketAsync(id)).Stage);
    }

    [Fact(Timeout = 60_000)]
    public async Task Mail_from_the_requesters_own_mailbox_is_proof_enough()
    {
        await h.FileAsync(Password with { Category = Categories.SoftwareAccess }, "Need Visio", "Please give me Visio.", Channel.Email);
        Assert.Equal(RequesterProof.FromMailbox, Assert.Single(h.Playbooks.Asked).Proof);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_step_that_fails_every_retry_hands_the_ticket_to_a_person_instead_of_ending_in_silence()
    {
        h.Playbooks.Answer = _ => throw new InvalidOperationException("graph is down");
        var id = await h.FileAsync(Password);
        // The activity's retries back off (5 s, 10 s, ...): the fake clock moves them along.
        for (var i = 0; i < 6; i++) await h.AdvanceAsync(TimeSpan.FromMinutes(2));

        var ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.Escalated, ticket.Stage);
        Assert.Contains("could not finish the automation step", ticket.Escalation!.Reason, StringComparison.Ordinal);
        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "escalation");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stale_duplicate_run_of_a_step_does_not_move_the_stage_backwards()
    {
        var id = await h.FileAsync(Password);
        await h.RaiseAsync(id, TicketEvent.ConfirmationOf("no"));
        Assert.Equal(Stage.Escalated, (await h.TicketAsync(id)).Stage);

        // The guide step running again late (activities run at least once) would write awaiting_confirmation.
        await new Autotier.Workflow.Activities.Lifecycle.TicketKit(h.Tickets, h.Clients, h.Mail, () => h.Links)
            .UpdateAsync(id, h.Now, Stage.AwaitingConfirmation, t => t, default);

        Assert.Equal(Stage.Escalated, (await h.TicketAsync(id)).Stage);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_security_P1s_acknowledgement_and_hand_over_mail_carry_containment_advice_and_the_emergency_number_never_good_news()
    {
        await h.Clients.SaveAsync(new Autotier.Domain.Clients.ClientProfile("demo", "Demo Dental Group") { EmergencyPhone = "+44 20 7946 0999" }, default);
        var ransomware = new TicketClassification(Categories.Engineering, Priorities.P1, 0.99, Routes.Escalate, 2,
            ["danger: ransomware (\"encrypted\")", "security incident"], Dangerous: true, DecidedBy: DecidedBy.Rules);
        var id = await h.FileAsync(ransomware, "All my files are encrypted", "A note says pay bitcoin to get them back.", acknowledged: false);

        var mails = h.MailsTo();
        Assert.Equal(2, mails.Count);
        foreach (var mail in mails)
        {
            Assert.Contains("unplug the network cable", mail.Text, StringComparison.Ordinal);
            Assert.Contains("+44 20 7946 0999", mail.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Good news", mail.Text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("An engineer is on it", mails[1].Subject, StringComparison.Ordinal);
        // The hand-over promises the 15-minute response while no person has answered (fix 2).
        var responseDue = new DateTimeOffset(2026, 3, 2, 9, 15, 0, TimeSpan.Zero);
        Assert.Contains($"hear from them by {Autotier.Domain.Mail.Messages.FriendlyTime(responseDue, Autotier.Domain.Lifecycle.BusinessHours.Default.TimeZone)}", mails[1].Text, StringComparison.Ordinal);
        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "p1_page" && a.Audience == Autotier.Domain.Alerts.Audience.OnCall);
    }

    [Fact(Timeout = 60_000)]
    public async Task Five_internet_down_tickets_from_one_client_are_one_incident_one_page_and_one_engineers_plan_and_fix_reach_every_requester()
    {
        string[] subjects = ["Internet is down", "No internet in the office", "internet down?", "Wifi connected but no internet", "Internet not working for anyone"];
        var ids = new List<string>();
        for (var i = 0; i < subjects.Length; i++)
        {
            ids.Add(await h.FileAsync(Outage, subjects[i], "Since 9 this morning nothing loads.", requester: $"user{i}@demo.example"));
            await h.AdvanceAsync(TimeSpan.FromMinutes(3));
        }
        // Another client's outage is its own incident.
        await h.Clients.SaveAsync(new Autotier.Domain.Clients.ClientProfile("other", "Other Co"), default);
        var other = await h.FileAsync(Outage, "Internet is down", "Nothing loads.", clientId: "other", requester: "pat@other.example");

        var lead = ids[0];
        var incident = Assert.Single(h.Incidents.All, i => i.ClientId == "demo");
        Assert.Equal(ids, incident.Members);
        foreach (var id in ids) Assert.Equal(incident.IncidentId, (await h.TicketAsync(id)).IncidentId);
        Assert.NotEqual(incident.IncidentId, (await h.TicketAsync(other)).IncidentId);
        // One page for the incident (and re-pages of that one), none for the tickets that joined it.
        Assert.All(h.Alerts.Alerts.Where(a => a.Kind is "p1_page" or "p1_repage" && a.ClientId == "demo"), a => Assert.Equal(lead, a.TicketId));
        Assert.DoesNotContain(h.Alerts.Alerts, a => a.Kind == "escalation" && ids.Skip(1).Contains(a.TicketId));

        await h.RaiseAsync(lead, new TicketEvent(TicketEvent.Plan) { By = "kim", Note = "ISP fault ref 123", PublicNote = "Your internet provider has a fault; we expect it back by 11:00." });
        await h.RaiseAsync(lead, new TicketEvent(TicketEvent.Resolved) { By = "kim", Note = "ISP fixed the line", PublicNote = "The internet is back." });
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));

        for (var i = 0; i < ids.Count; i++)
        {
            var mails = h.MailsTo($"user{i}@demo.example");
            Assert.Contains(mails, m => m.Text.Contains("we expect it back by 11:00", StringComparison.Ordinal));
            Assert.Contains(mails, m => m.Text.Contains("The internet is back.", StringComparison.Ordinal));
            Assert.Equal(Stage.Resolved, (await h.TicketAsync(ids[i])).Stage);
        }
        Assert.True(h.Incidents.All.Single(i => i.ClientId == "demo").Closed);
        Assert.Equal(Stage.Escalated, (await h.TicketAsync(other)).Stage);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reminders_to_requesters_wait_for_the_clients_business_hours()
    {
        // Friday 17:00 UTC: a day later is Saturday; the reminder waits for Monday 08:00.
        await h.AdvanceAsync(new DateTimeOffset(2026, 3, 6, 17, 0, 0, TimeSpan.Zero) - h.Now);
        var id = await h.FileAsync(Vpn, "VPN will not connect", "FortiClient says the gateway is unreachable.");
        bool Reminded() => h.MailsTo().Any(m => m.Subject.Contains(id, StringComparison.Ordinal) && m.Subject.Contains("Did the steps help?", StringComparison.Ordinal));

        await h.AdvanceAsync(new DateTimeOffset(2026, 3, 9, 7, 59, 0, TimeSpan.Zero) - h.Now);
        Assert.False(Reminded());
        var (status, _) = await h.StatusAsync(id);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 8, 0, 0, TimeSpan.Zero), status!.NextDeadline);

        await h.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.True(Reminded());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_guide_answer_runs_the_playbook_again_for_the_device_named_instead_of_escalating()
    {
        var printer = new TicketClassification(Categories.PrinterPeripheral, Priorities.P3, 0.88, Routes.Auto, 1, ["model: printer_peripheral 0.88"], Device: "printer", Playbook: "printer_peripheral", DecidedBy: DecidedBy.Model);
        h.Playbooks.Answer = r => new PlaybookGuide(new Autotier.Domain.Playbooks.Guide("guide-" + r.Ticket.Classification!.Device, $"Fix your {r.Ticket.Classification.Device}", ["Step one"]));
        var id = await h.FileAsync(printer, "It is not working", "Nothing happens when I click.");

        await h.ReplyAsync(id, "This is about my mouse, not the printer.");

        Assert.Equal(2, h.Playbooks.Asked.Count);
        Assert.Equal("mouse", h.Playbooks.Asked.Last().Ticket.Classification!.Device);
        var ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.AwaitingConfirmation, ticket.Stage);
        Assert.Equal("Fix your mouse", ticket.Attempted);
        Assert.DoesNotContain(h.Alerts.Alerts, a => a.TicketId == id);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("Yes the issue persists")]
    [InlineData("Yes, I followed the steps. Outlook crashes again.")]
    [InlineData("I clicked yes on the dialog and it crashed again")]
    public async Task A_yes_inside_a_report_of_failure_escalates_and_never_counts_as_resolved_by_the_requester(string reply)
    {
        var id = await h.FileAsync(Password);
        await h.ReplyAsync(id, reply);

        var ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.Escalated, ticket.Stage);
        Assert.Null(ticket.Resolution);
        Assert.DoesNotContain(h.Resolutions.All, r => r.TicketId == id && r.Outcome == Outcomes.ResolvedConfirmed);
    }

    // The review's findings, each with the scenario that showed it.

    [Fact(Timeout = 60_000)]
    public async Task An_engineers_fix_while_the_workflow_waits_for_proof_resolves_the_ticket()
    {
        h.Playbooks.Answer = _ => new PlaybookNeedsProof("assigning a Visio licence");
        var id = await h.FileAsync(Password with { Category = Categories.SoftwareAccess }, "Need Visio", "Please give me Visio.");
        await h.ReplyAsync(id, "Is anyone there?");
        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Resolved) { By = "alex", Note = "assigned by hand", PublicNote = "Visio is yours now." });
        await h.AdvanceAsync(TimeSpan.FromDays(2));

        var ticket = await h.TicketAsync(id);
        Assert.Equal(ResolvedBy.Engineer, ticket.Resolution!.By);
        Assert.NotEqual(Stage.Escalated, ticket.Stage);
        Assert.Contains(ticket.Conversation!, c => c.Text == "Is anyone there?");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_guides_no_link_pressed_after_a_silent_close_reopens_the_ticket_as_its_page_promised()
    {
        var id = await h.FileAsync(Vpn, "VPN will not connect", "Gateway unreachable.");
        await h.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Equal(Stage.Closed, (await h.TicketAsync(id)).Stage);

        await h.RaiseAsync(id, TicketEvent.ConfirmationOf("no"));

        var ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.Escalated, ticket.Stage);
        Assert.Equal(1, ticket.Reopens);
        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "reopened");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_follower_that_reopens_after_its_incident_closed_gets_its_own_deadlines_and_pages()
    {
        var lead = await h.FileAsync(Outage, "Internet is down", "Nothing loads.", requester: "a@demo.example");
        var follower = await h.FileAsync(Outage, "No internet in the office", "Nothing loads.", requester: "b@demo.example");
        await h.RaiseAsync(lead, new TicketEvent(TicketEvent.Resolved) { By = "kim", Note = "ISP", PublicNote = "It's back." });
        await h.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(Stage.Resolved, (await h.TicketAsync(follower)).Stage);

        await h.RaiseAsync(follower, TicketEvent.ReplyFrom("b@demo.example", "It is offline again."));
        await h.AdvanceAsync(TimeSpan.FromHours(1));

        var (status, _) = await h.StatusAsync(follower);
        Assert.Equal("escalated", status!.Phase);
        Assert.NotNull(status.NextDeadline);
        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == follower && a.Kind == "p1_page");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_second_breach_after_a_reopen_is_its_own_timeline_line()
    {
        var id = await h.FileAsync(Server, "File server down", "The S: drive is gone.");
        await h.AdvanceAsync(TimeSpan.FromDays(1));
        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Resolved) { By = "kim", Note = "fixed" });
        await h.ReplyAsync(id, "It is broken again, the drive is gone.");
        await h.AdvanceAsync(TimeSpan.FromDays(2));

        var breaches = (await h.TimelineAsync(id)).Count(l => l.Step.StartsWith("sla-breach", StringComparison.Ordinal));
        Assert.Equal(2, breaches);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_late_duplicate_from_before_a_reopen_neither_resolves_the_ticket_nor_says_the_requester_did()
    {
        var id = await h.FileAsync(Password);
        await h.RaiseAsync(id, TicketEvent.ConfirmationOf("yes"));
        await h.ReplyAsync(id, "It has locked me out again.");
        Assert.Equal(Stage.Escalated, (await h.TicketAsync(id)).Stage);

        var kit = new Autotier.Workflow.Activities.Lifecycle.TicketKit(h.Tickets, h.Clients, h.Mail, () => h.Links);
        await new Autotier.Workflow.Activities.Lifecycle.RecordOutcome(kit, h.Resolutions).RunAsync(
            new Autotier.Workflow.Activities.Lifecycle.OutcomeInput(id, h.Now, "resolved", Outcomes.ResolvedConfirmed, "late duplicate") { Cycle = 0 }, default);

        var ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.Escalated, ticket.Stage);
        Assert.Null(ticket.Resolution);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_escalation_in_the_afternoon_never_promises_a_response_time_already_past()
    {
        var id = await h.FileAsync(Password);
        await h.AdvanceAsync(TimeSpan.FromHours(5));
        await h.RaiseAsync(id, TicketEvent.ConfirmationOf("no"));

        var mail = Assert.Single(h.MailsTo(), m => m.Subject.Contains("An engineer is on it", StringComparison.Ordinal));
        Assert.DoesNotContain("You can expect to hear from them by", mail.Text, StringComparison.Ordinal);
        Assert.Contains("We aim to have it sorted by", mail.Text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Replies_of_any_size_are_kept_bounded_so_the_ticket_always_fits_its_row()
    {
        var id = await h.FileAsync(Server, "File server down", "The S: drive is gone.");
        await h.ReplyAsync(id, new string('\u0001', 20_000));

        var entry = Assert.Single((await h.TicketAsync(id)).Conversation!);
        Assert.True(entry.Text.Length <= EscalationPackage.MaxMessageChars + 80);
        Assert.DoesNotContain('\u0001', entry.Text);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_mail_that_fails_after_an_engineers_fix_alerts_the_tier_but_never_puts_the_ticket_back_with_a_person()
    {
        var id = await h.FileAsync(Server, "File server down", "The S: drive is gone.");
        h.Mail.Behaviour = m => m.Subject.Contains("fixed", StringComparison.OrdinalIgnoreCase) || m.Text.Contains("The drive works", StringComparison.Ordinal)
            ? throw new InvalidOperationException("mail service down") : Task.CompletedTask;
        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Resolved) { By = "kim", Note = "fixed", PublicNote = "The drive works again." });
        for (var i = 0; i < 6; i++) await h.AdvanceAsync(TimeSpan.FromMinutes(2));

        var ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.Resolved, ticket.Stage);
        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "workflow_problem");
        var (status, _) = await h.StatusAsync(id);
        Assert.Equal("closed", status!.Phase);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_uncertain_ticket_whose_answer_shows_a_security_incident_pages_on_call()
    {
        var unsure = new TicketClassification(Categories.SoftwareError, Priorities.P3, 0.45, Routes.Clarify, 2, ["model: unsure"], Question: "What happened?");
        h.Classifier.Answer = new TicketClassification(Categories.Engineering, Priorities.P1, 0.99, Routes.Escalate, 2,
            ["danger: phishing (\"typed my password\")", "security incident"], Dangerous: true, DecidedBy: DecidedBy.Rules);
        var id = await h.FileAsync(unsure, "Odd page", "Something happened");

        await h.ReplyAsync(id, "I typed my password on a page from an email link.");

        Assert.Contains(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "p1_page" && a.Audience == Autotier.Domain.Alerts.Audience.OnCall);
        Assert.Equal(2, (await h.TicketAsync(id)).Tier);
    }

    [Fact(Timeout = 60_000)]
    public async Task What_the_requester_says_of_a_guide_counts_for_its_article_once_per_answer()
    {
        await h.Kb.PutAsync(new Autotier.Domain.Kb.KbArticle("builtin-password_reset", "demo", Categories.PasswordReset, "Reset your password",
            ["Go to aka.ms/sspr"], [], [], null, 0, 0, h.Now), default);
        var fixedIt = await h.FileAsync(Password);
        await h.RaiseAsync(fixedIt, TicketEvent.ConfirmationOf("yes"));
        var notFixed = await h.FileAsync(Password);
        await h.RaiseAsync(notFixed, TicketEvent.ConfirmationOf("no"));

        var article = Assert.Single(await h.Kb.ForClientAsync("demo", default), a => a.ArticleId == "builtin-password_reset");
        Assert.Equal((2, 1), (article.Uses, article.Successes));
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_step_that_matters_reaches_the_metrics_once_and_alerts_to_people_count_as_interruptions()
    {
        var id = await h.FileAsync(Password);
        await h.RaiseAsync(id, TicketEvent.ConfirmationOf("no"));
        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Plan) { By = "alex", PublicNote = "Looking at it now." });
        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Resolved) { By = "alex", Note = "unlocked", PublicNote = "Unlocked." });
        await h.AdvanceAsync(TimeSpan.FromDays(8));

        var s = Assert.Single(await h.Outcomes.SummariesAsync("demo", h.Now.AddDays(-30), h.Now, default));
        Assert.Equal(id, s.TicketId);
        Assert.Equal(("password_reset", "auto"), (s.Category, s.Route));
        Assert.NotNull(s.AcknowledgedAt);
        // The guide answered first, then the person's plan; the requester's no; the engineer's fix; the close.
        Assert.Equal("automation", s.FirstResponseBy);
        Assert.Equal("no", s.Answer!.Answer);
        Assert.Equal(1, Assert.Single(s.Escalations).Tier);
        Assert.NotNull(s.FirstPlanAt);
        Assert.Equal("engineer", Assert.Single(s.Resolutions).By);
        Assert.NotNull(s.ClosedAt);
        var events = await h.Outcomes.EventsAsync("demo", id, default);
        Assert.Equal(events.Count, events.Select(e => e.Step).Distinct().Count());
        Assert.Contains(events, e => e is { Kind: "responded", By: "person", Via: "plan" });
        Assert.Contains(await h.Outcomes.InterruptionsAsync("demo", h.Now.AddDays(-30), h.Now, default), i => i.TicketId == id && i.Kind == "escalation");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_guides_pictures_go_inline_in_its_mail_and_a_missing_one_is_left_out()
    {
        h.Pictures.Pictures["demo/vpn-guide/connect.png"] = new Autotier.Application.Ports.KbImage([1, 2, 3], "image/png");
        h.Pictures.Pictures["demo/vpn-guide/tray.png"] = new Autotier.Application.Ports.KbImage([4, 5], "image/png");
        h.Playbooks.Answer = _ => new PlaybookGuide(new Autotier.Domain.Playbooks.Guide("vpn-guide", "Reconnect the VPN", ["Open FortiClient", "Press Connect"])
        {
            Images = ["demo/vpn-guide/connect.png", "demo/vpn-guide/gone.png", "demo/vpn-guide/tray.png"],
        });

        await h.FileAsync(Vpn);

        var guide = Assert.Single(h.MailsTo());
        Assert.Equal(["step-picture-1", "step-picture-3"], guide.Images!.Select(i => i.ContentId));
        Assert.Equal(Convert.ToBase64String(new byte[] { 1, 2, 3 }), guide.Images![0].ContentBase64);
        Assert.Contains("cid:step-picture-1", guide.Html, StringComparison.Ordinal);
        Assert.Equal("tray.png", guide.Images[1].Name);
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_reopen_counts_and_clears_the_resolution_not_only_the_first()
    {
        var id = await h.FileAsync(Password);
        await h.RaiseAsync(id, TicketEvent.ConfirmationOf("no"));
        for (var round = 1; round <= 3; round++)
        {
            await h.RaiseAsync(id, new TicketEvent(TicketEvent.Resolved) { By = "alex", Note = $"fix {round}" });
            Assert.Equal(Stage.Resolved, (await h.TicketAsync(id)).Stage);
            await h.ReplyAsync(id, "It has locked me out again.");

            var ticket = await h.TicketAsync(id);
            Assert.Equal((Stage.Escalated, round), (ticket.Stage, ticket.Reopens));
            Assert.Null(ticket.Resolution);
        }
    }
}
