using Autotier.Application.Lifecycle;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Mail;
using Autotier.Domain.Metrics;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

using Ticket = Autotier.Domain.Tickets.Ticket;

/// <summary>
/// What the lifecycle activities share. Each activity runs at least once, so each is idempotent:
/// mails carry a key per (ticket, step), timeline lines are unique per step, updates set absolute
/// values, and alerts are keyed.
/// </summary>
public sealed class TicketKit(ITicketStore tickets, IClientStore clients, IEmailSender mail, Func<LinkSettings> links, IKbStore? kb = null, IPsa? psa = null, IOutcomeLog? outcomes = null)
{
    /// <summary>The MSP's PSA, written back to by (ticket, step); nothing when none is configured.</summary>
    public IPsa Psa { get; } = psa ?? NoPsa.Instance;

    /// <summary>An outcome event of this ticket at this step (once per step: a retried activity records the same one).</summary>
    public static OutcomeEvent Event(Ticket ticket, string step, DateTimeOffset at, string kind, SlaView? sla = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new OutcomeEvent(ticket.ClientId, ticket.TicketId, ticket.CreatedAt, step, at, kind) { ResponseDue = sla?.ResponseDue };
    }

    /// <summary>Records outcome events of one ticket for the metrics (none when the host keeps no outcome log).</summary>
    public async Task RecordAsync(CancellationToken cancellationToken, params OutcomeEvent[] events)
    {
        if (outcomes is not null && events.Length > 0) await outcomes.RecordAsync(events, cancellationToken);
    }

    /// <summary>
    /// Credits or debits the guide the requester was sent, once per (ticket, step): what the
    /// requester said of it weighs in which article the next ticket gets (TypeScript countOutcome).
    /// </summary>
    public Task CountGuideAsync(Ticket ticket, bool fixedIt, string step, CancellationToken cancellationToken) =>
        kb is not null && ticket?.Guide is { } guide
            ? kb.RecordOutcomeAsync(ticket.ClientId, guide.ArticleId, fixedIt, $"{ticket.TicketId}.{step}", cancellationToken)
            : Task.CompletedTask;

    public ITicketStore Tickets => tickets;

    /// <summary>Read when a link is made, so a host without a signing key fails the step that needs one, with the setting named.</summary>
    public LinkSettings Links => links();

    public async Task<Ticket> LoadAsync(string ticketId, CancellationToken cancellationToken) =>
        await tickets.GetAsync(ticketId, cancellationToken) ?? throw new InvalidOperationException($"ticket {ticketId} is not stored");

    /// <summary>A client with no profile (deleted meanwhile) still gets sane defaults rather than a failed ticket.</summary>
    public async Task<ClientProfile> ClientAsync(string clientId, CancellationToken cancellationToken) =>
        await clients.GetAsync(clientId, cancellationToken) ?? new ClientProfile(clientId, clientId);

    public Task SendAsync(Ticket ticket, string step, MailMessage message, CancellationToken cancellationToken) =>
        mail.SendAsync(message, MailKeys.For(ticket.TicketId, step), cancellationToken);

    public Task NoteAsync(string ticketId, string step, DateTimeOffset at, Stage? stage, string text, CancellationToken cancellationToken) =>
        tickets.AppendTimelineAsync(ticketId, new TimelineEntry(step, at, stage, text), cancellationToken);

    /// <summary>
    /// An alert about a ticket with what an engineer needs to act from the card or mail alone: the
    /// client, subject, requester, priority, two lines of the ticket and the due time in the
    /// client's zone (the response time while no person has answered, then the resolution time).
    /// </summary>
    /// <param name="audience">null (the tier's), <c>oncall</c> or <c>manager</c>.</param>
    public async Task<AlertFacts> AlertAsync(Ticket ticket, string key, string kind, int tier, string message, DateTimeOffset at, string? audience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var client = await ClientAsync(ticket.ClientId, cancellationToken);
        var lines = ticket.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(2);
        return new AlertFacts(key, ticket.TicketId, ticket.ClientId, tier, kind, message, at)
        {
            Audience = Audiences.TryParse(audience, out var a) ? a : null,
            ClientName = client.Name,
            Subject = ticket.Subject,
            Requester = ticket.Requester.Name is { Length: > 0 } name ? $"{name} <{ticket.Requester.Email}>" : ticket.Requester.Email,
            Priority = ticket.Classification?.Priority,
            Summary = EscalationPackage.Cut(string.Join("\n", lines), 300),
            // The response time while no person has answered and it is still ahead, then the resolution time.
            DueAt = ticket.RespondedAt is null && ticket.Sla?.ResponseDue > at ? ticket.Sla.ResponseDue : ticket.Sla?.ResolutionDue,
            TimeZone = client.BusinessHours.TimeZone,
        };
    }

    /// <summary>
    /// Changes the stored ticket, its stage only along the lifecycle's allowed moves: activities run
    /// at least once, and a late duplicate run must not rewrite "escalated" back to "classified".
    /// </summary>
    /// <param name="cycle">The workflow's reopen count when it took the step; a write from an earlier cycle (a late duplicate run) changes no stage.</param>
    /// <param name="reopening">This write is the reopen itself: the one write that may move a resolved or closed ticket back.</param>
    public async Task<Ticket> UpdateAsync(string ticketId, DateTimeOffset at, Stage? stage, Func<Ticket, Ticket> change, CancellationToken cancellationToken, int? cycle = null, bool reopening = false)
    {
        ArgumentNullException.ThrowIfNull(change);
        return await tickets.UpdateAsync(ticketId, t =>
        {
            var changed = change(t);
            return changed with { Stage = MayMove(t, stage, cycle, reopening) ? stage!.Value : t.Stage, UpdatedAt = at > t.UpdatedAt ? at : t.UpdatedAt };
        }, cancellationToken) ?? throw new InvalidOperationException($"ticket {ticketId} is not stored");
    }

    /// <summary>Whether a write from <paramref name="cycle"/> may move the stored ticket to <paramref name="stage"/>.</summary>
    public static bool MayMove(Ticket stored, Stage? stage, int? cycle, bool reopening = false)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stage is not { } to || !StageMoves.Allowed(stored.Stage, to)) return false;
        if (cycle is { } c && c < stored.Reopens) return false;
        var finished = stored.Stage is Stage.Resolved or Stage.Closed;
        return !finished || to is Stage.Resolved or Stage.Closed || reopening;
    }

    /// <summary>A write from an earlier reopen cycle than the stored ticket's: a late duplicate that must change nothing that matters.</summary>
    public static bool Stale(Ticket stored, int? cycle) => cycle is { } c && c < (stored ?? throw new ArgumentNullException(nameof(stored))).Reopens;
}
