using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Psa;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Autotier.TestSupport.Psa;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application.Psa;

/// <summary>Engineers' PSA changes into the workflow (TypeScript psaChanges tests).</summary>
public sealed class PsaChangesTests
{
    private static readonly PsaMapping Mapping = PsaMapping.Parse("""
        {"companies": {"42": "demo"}, "statuses": {"waiting_on_requester": "3", "resolved": "5", "closed": "6"}, "selfIds": ["autotier-api"]}
        """);

    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryTicketLinks links = new();
    private readonly InMemoryPsaSeen seen = new();
    private readonly RecordingNotifier alerts = new();
    private readonly RecordingWorkflow workflow = new();
    private readonly InMemoryPsaApi api = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly PsaChanges changes;

    public PsaChangesTests() =>
        changes = new PsaChanges(tickets, links, seen, alerts, time, NullLogger<PsaChanges>.Instance, new PsaConnection(api, Mapping));

    /// <summary>A ticket that came from ConnectWise ticket 601 (linked by its external id, as intake stores it).</summary>
    private async Task<(Ticket Ticket, FakePsaTicket Psa)> FromPsaAsync()
    {
        var psa = api.Add("601", "Outlook keeps crashing", "42", "sam@demo.example", "2");
        var ticket = (await tickets.CreateAsync(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "Outlook keeps crashing", "It crashes.", "connectwise:601", Channel.ConnectWise), time.GetUtcNow(), default)).Ticket;
        await links.LinkAsync("demo", "connectwise:601", ticket.TicketId, default);
        return (ticket, psa);
    }

    private Task<PsaChangeResult> ApplyAsync(string actor = "alex") => changes.ApplyAsync(new PsaChange(PsaVendors.ConnectWise, "601", actor, "msg-1"), workflow, default);

    [Fact(Timeout = 10_000)]
    public async Task A_close_in_the_psa_resolves_the_ticket_by_that_engineer_with_the_public_note_for_the_requester()
    {
        var (ticket, psa) = await FromPsaAsync();
        psa.Activity.Add(new PsaActivity("1", PsaActivityKind.Note, "Rebuilt the Outlook profile", false, true, "alex", "Alex Tech"));
        psa.Activity.Add(new PsaActivity("2", PsaActivityKind.Note, "Outlook works again, sorry for the trouble.", true, true, "alex", "Alex Tech"));
        psa.Closed = true;

        var result = await ApplyAsync();

        Assert.Equal(PsaChangeOutcome.Delivered, result.Outcome);
        var (to, e) = Assert.Single(workflow.Raised);
        Assert.Equal(ticket.TicketId, to);
        Assert.Equal((TicketEvent.Resolved, "Alex Tech", "Rebuilt the Outlook profile", "Outlook works again, sorry for the trouble.", true),
            (e.Kind, e.By, e.Note, e.PublicNote, e.FromPsa));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_ticket_already_resolved_is_not_resolved_again_by_its_own_status_coming_back()
    {
        var (ticket, psa) = await FromPsaAsync();
        await tickets.UpdateAsync(ticket.TicketId, t => t with { Stage = Stage.Resolved }, default);
        psa.Status = "5";
        var result = await ApplyAsync();
        Assert.Empty(workflow.Raised);
        Assert.Empty(result.Delivered);
    }

    [Fact(Timeout = 10_000)]
    public async Task Notes_and_time_entries_reach_the_workflow_once_however_often_the_psa_calls()
    {
        var (ticket, psa) = await FromPsaAsync();
        psa.Activity.Add(new PsaActivity("1", PsaActivityKind.Note, "I'll call you at 2pm.", true, true, "alex", "Alex Tech"));
        psa.Activity.Add(new PsaActivity("2", PsaActivityKind.Note, "Checking the mailbox size", false, true, "alex", "Alex Tech"));
        psa.Activity.Add(new PsaActivity("3", PsaActivityKind.Time, "Remote session 20 min", false, true, "alex", "Alex Tech"));

        var first = await ApplyAsync();
        var again = await ApplyAsync();

        Assert.Equal([TicketEvent.Update, TicketEvent.Plan, TicketEvent.Plan, TicketEvent.Waiting], first.Delivered);
        Assert.Equal([TicketEvent.Waiting], again.Delivered);
        var update = workflow.Raised.First().Event;
        Assert.Equal("I'll call you at 2pm.", update.Text);
        Assert.Contains(workflow.Raised, r => r.Event.Note == "Time entry in ConnectWise: Remote session 20 min");
        Assert.All(workflow.Raised, r => Assert.Equal(ticket.TicketId, r.TicketId));
        Assert.False(workflow.Raised.Last().Event.IsWaiting);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_waiting_on_the_requester_status_pauses_the_sla()
    {
        var (_, psa) = await FromPsaAsync();
        psa.Status = "3";
        await ApplyAsync();
        var waiting = Assert.Single(workflow.Raised).Event;
        Assert.Equal((TicketEvent.Waiting, true, "alex"), (waiting.Kind, waiting.IsWaiting, waiting.By));
    }

    [Fact(Timeout = 10_000)]
    public async Task Autotiers_own_writes_are_ignored_by_its_ids_and_by_its_marker()
    {
        var (_, psa) = await FromPsaAsync();
        psa.Activity.Add(new PsaActivity("1", PsaActivityKind.Note, "autotier escalated...\n\n[autotier T-1 escalate-0-1]", false, true, "someone-else"));
        psa.Activity.Add(new PsaActivity("2", PsaActivityKind.Note, "Requester replied: hi", false, true, InMemoryPsaApi.SelfId));

        Assert.Equal(PsaChangeOutcome.Own, (await ApplyAsync(InMemoryPsaApi.SelfId)).Outcome);
        Assert.Empty(api.Calls);
        var result = await ApplyAsync();
        Assert.Equal([TicketEvent.Waiting], result.Delivered);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_finished_workflow_changes_nothing_and_its_notes_are_let_go_for_a_later_retry()
    {
        var (ticket, psa) = await FromPsaAsync();
        psa.Activity.Add(new PsaActivity("1", PsaActivityKind.Note, "Internal remark", false, true, "alex"));
        workflow.Finished[ticket.TicketId] = true;

        var result = await ApplyAsync();

        Assert.Equal(PsaChangeOutcome.Finished, result.Outcome);
        Assert.Empty(seen.Claimed);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_ticket_autotier_opened_is_found_by_its_tag_and_a_stranger_ticket_is_not_ours()
    {
        var ticket = (await tickets.CreateAsync(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "Printer", "Offline.", null, Channel.Api), time.GetUtcNow(), default)).Ticket;
        await tickets.UpdateAsync(ticket.TicketId, t => t with { PsaTicket = new PsaTicketRef(PsaVendors.ConnectWise, "700", "700") }, default);
        api.Add("700", $"Printer (autotier {ticket.TicketId})", "42", "sam@demo.example", "3");
        api.Add("701", $"Forged (autotier {ticket.TicketId})", "42", "eve@demo.example", "3");
        api.Add("702", "Someone else's ticket", "42", "pat@demo.example", "3");

        Assert.Equal(ticket.TicketId, (await changes.ApplyAsync(new PsaChange(PsaVendors.ConnectWise, "700"), workflow, default)).TicketId);
        Assert.Equal(PsaChangeOutcome.NotOurs, (await changes.ApplyAsync(new PsaChange(PsaVendors.ConnectWise, "701"), workflow, default)).Outcome);
        Assert.Equal(PsaChangeOutcome.NotOurs, (await changes.ApplyAsync(new PsaChange(PsaVendors.ConnectWise, "702"), workflow, default)).Outcome);
        Assert.Equal(PsaChangeOutcome.NotOurs, (await changes.ApplyAsync(new PsaChange(PsaVendors.ConnectWise, "999"), workflow, default)).Outcome);
    }

    [Fact(Timeout = 10_000)]
    public async Task Refused_credentials_alert_tier_two_once_an_hour_and_no_psa_means_nothing_to_do()
    {
        await FromPsaAsync();
        api.FailNext.Enqueue(new PsaApiException(PsaVendors.ConnectWise, 403, "connectwise GET /service/tickets/601 answered 403"));
        api.FailNext.Enqueue(new PsaApiException(PsaVendors.ConnectWise, 403, "connectwise GET /service/tickets/601 answered 403"));
        Assert.Equal(PsaChangeOutcome.Refused, (await ApplyAsync()).Outcome);
        Assert.Equal(PsaChangeOutcome.Refused, (await ApplyAsync()).Outcome);
        Assert.Single(alerts.Alerts);

        var none = new PsaChanges(tickets, links, seen, alerts, time, NullLogger<PsaChanges>.Instance);
        Assert.Equal(PsaChangeOutcome.NotConfigured, (await none.ApplyAsync(new PsaChange(PsaVendors.Autotask, "1"), workflow, default)).Outcome);
        Assert.Equal(PsaChangeOutcome.NotConfigured, (await changes.ApplyAsync(new PsaChange(PsaVendors.HaloPsa, "601"), workflow, default)).Outcome);
    }
}
