using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Domain.Alerts;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Psa;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Autotier.TestSupport.Psa;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application.Psa;

/// <summary>Write-back (TypeScript psaWriteBack tests): a ticket opened once whatever retries, notes once per step, refused credentials an alert.</summary>
public sealed class PsaWriteBackTests
{
    private static readonly PsaMapping Mapping = PsaMapping.Parse("""
        {"companies": {"42": "demo"}, "tiers": {"1": "11", "2": "12"}, "statuses": {"new": "1", "in_progress": "2", "waiting_on_requester": "3", "resolved": "5", "closed": "6"}, "selfIds": ["autotier-api"]}
        """);

    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryTicketLinks links = new();
    private readonly RecordingNotifier alerts = new();
    private readonly InMemoryPsaApi api = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly PsaWriteBack psa;

    public PsaWriteBackTests() =>
        psa = new PsaWriteBack(new PsaConnection(api, Mapping), tickets, links, alerts, time, NullLogger<PsaWriteBack>.Instance);

    private async Task<Ticket> FileAsync(Channel channel = Channel.Api, string? externalId = null, string client = "demo") =>
        (await tickets.CreateAsync(new NewTicket(client, new Requester("Sam Lee", "sam@demo.example"), "Printer offline <b>now</b>", "It says offline.", externalId, channel), time.GetUtcNow(), default)).Ticket;

    [Fact(Timeout = 10_000)]
    public async Task A_ticket_from_the_api_is_opened_in_the_psa_once_with_the_reference_tag_and_kept_on_the_ticket()
    {
        var ticket = await FileAsync();
        var first = await psa.OpenAsync(ticket.TicketId, default);
        var again = await psa.OpenAsync(ticket.TicketId, default);

        Assert.NotNull(first);
        Assert.Equal(first, again);
        var opened = Assert.Single(api.Tickets.Values);
        Assert.Equal($"Printer offline ‹b›now‹/b› (autotier {ticket.TicketId})", opened.Ticket.Summary);
        Assert.Equal("1", opened.Status);
        Assert.Equal("11", opened.Queue);
        Assert.Single(api.Calls, c => c == "create");
        Assert.Equal(new PsaTicketRef(PsaVendors.ConnectWise, first.Id, first.Number), (await tickets.GetAsync(ticket.TicketId, default))!.PsaTicket);
        Assert.Equal(ticket.TicketId, await links.FindAsync("demo", $"connectwise:{first.Id}", default));
        Assert.Contains(await tickets.GetTimelineAsync(ticket.TicketId, default), e => e.Step == "psa-opened");
    }

    [Fact(Timeout = 10_000)]
    public async Task A_create_whose_answer_was_lost_is_found_by_its_tag_on_the_retry_and_never_made_twice()
    {
        var ticket = await FileAsync();
        api.LoseNextCreateAnswer = true;
        await Assert.ThrowsAsync<PsaApiException>(() => psa.OpenAsync(ticket.TicketId, default));
        var retried = await psa.OpenAsync(ticket.TicketId, default);

        Assert.Single(api.Tickets);
        Assert.Equal(api.Tickets.Keys.Single(), retried!.Id);
        Assert.Equal(retried.Id, (await tickets.GetAsync(ticket.TicketId, default))!.PsaTicket!.Id);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_escalation_note_goes_once_per_step_however_often_the_activity_runs_and_moves_the_ticket_to_the_tiers_board()
    {
        var ticket = await FileAsync();
        var package = EscalationPackage.Build(ticket with { Body = "<script>alert(1)</script> broken" }, "Demo Dental", 2, "the requester said no", RequesterAnswers.No, null, time.GetUtcNow());
        await psa.EscalateAsync(package, "escalate-0-1", default);
        await psa.EscalateAsync(package, "escalate-0-1", default);

        var opened = Assert.Single(api.Tickets.Values);
        var note = Assert.Single(opened.Activity);
        Assert.StartsWith($"autotier escalated {ticket.TicketId} to tier 2: the requester said no", note.Text, StringComparison.Ordinal);
        Assert.EndsWith($"[autotier {ticket.TicketId} escalate-0-1]", note.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", note.Text, StringComparison.Ordinal);
        Assert.Equal(("2", "12"), (opened.Status, opened.Queue));

        await psa.AddNoteAsync(ticket.TicketId, "Requester replied: still broken", "reply-1", default);
        await psa.SetStatusAsync(ticket.TicketId, PsaStatus.Resolved, "resolved-0-status", default);
        Assert.Equal(2, opened.Activity.Count);
        Assert.Equal("5", opened.Status);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_ticket_that_came_from_the_psa_is_written_to_its_own_psa_ticket_and_never_opened_again()
    {
        api.Add("77", "Printer jammed", "42", "sam@demo.example");
        var ticket = await FileAsync(Channel.ConnectWise, "connectwise:77");
        await psa.AddNoteAsync(ticket.TicketId, "Requester replied: it is jammed again", "reply-1", default);

        Assert.DoesNotContain(api.Calls, c => c == "create" || c.StartsWith("find", StringComparison.Ordinal));
        Assert.Single(api.Tickets["77"].Activity);
        Assert.Equal("77", (await psa.OpenAsync(ticket.TicketId, default))!.Id);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_client_without_a_psa_company_gets_no_psa_ticket_and_nothing_written()
    {
        var ticket = await FileAsync(client: "unmapped");
        Assert.Null(await psa.OpenAsync(ticket.TicketId, default));
        await psa.AddNoteAsync(ticket.TicketId, "a note", "reply-1", default);
        Assert.Empty(api.Tickets);
    }

    [Fact(Timeout = 10_000)]
    public async Task Refused_credentials_alert_tier_two_and_the_step_goes_on_while_a_psa_outage_throws_for_the_activity_to_retry()
    {
        var ticket = await FileAsync();
        api.FailNext.Enqueue(new PsaApiException(PsaVendors.ConnectWise, 401, "connectwise GET /service/tickets answered 401"));
        await psa.AddNoteAsync(ticket.TicketId, "a note", "reply-1", default);

        var alert = Assert.Single(alerts.Alerts);
        Assert.Equal((2, AlertKinds.WorkflowProblem, "psa-refused-reply-1"), (alert.Tier, alert.Kind, alert.Key));
        Assert.Contains("ConnectWise refused autotier's credentials (401)", alert.Message, StringComparison.Ordinal);
        Assert.Contains(await tickets.GetTimelineAsync(ticket.TicketId, default), e => e.Step == "psa-refused-reply-1");

        api.FailNext.Enqueue(new PsaApiException(PsaVendors.ConnectWise, 503, "connectwise GET /service/tickets answered 503"));
        var outage = await Assert.ThrowsAsync<PsaApiException>(() => psa.AddNoteAsync(ticket.TicketId, "a note", "reply-2", default));
        Assert.False(outage.IsAuthFailure);
        Assert.Single(alerts.Alerts);
    }

    [Fact(Timeout = 10_000)]
    public async Task Without_a_psa_nothing_is_written()
    {
        var none = NoPsa.Instance;
        Assert.Null(await none.OpenAsync("T-1", default));
        await none.EscalateAsync(EscalationPackage.Build(await FileAsync(), "Demo", 1, "why", RequesterAnswers.None, null, time.GetUtcNow()), "escalate-0-1", default);
        Assert.Empty(api.Calls);
    }
}
