using Autotier.Application.Lifecycle;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

using Ticket = Autotier.Domain.Tickets.Ticket;

/// <summary>
/// What the lifecycle activities share. Each activity runs at least once, so each is idempotent:
/// mails carry a key per (ticket, step), timeline lines are unique per step, updates set absolute
/// values, and alerts are keyed.
/// </summary>
public sealed class TicketKit(ITicketStore tickets, IClientStore clients, IEmailSender mail, Func<LinkSettings> links)
{
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
            DueAt = ticket.RespondedAt is null ? ticket.Sla?.ResponseDue ?? ticket.Sla?.ResolutionDue : ticket.Sla?.ResolutionDue,
            TimeZone = client.BusinessHours.TimeZone,
        };
    }

    /// <summary>
    /// Changes the stored ticket, its stage only along the lifecycle's allowed moves: activities run
    /// at least once, and a late duplicate run must not rewrite "escalated" back to "classified".
    /// </summary>
    public async Task<Ticket> UpdateAsync(string ticketId, DateTimeOffset at, Stage? stage, Func<Ticket, Ticket> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return await tickets.UpdateAsync(ticketId, t =>
        {
            var changed = change(t);
            var moved = stage is { } to && StageMoves.Allowed(t.Stage, to) ? to : t.Stage;
            return changed with { Stage = moved, UpdatedAt = at > t.UpdatedAt ? at : t.UpdatedAt };
        }, cancellationToken) ?? throw new InvalidOperationException($"ticket {ticketId} is not stored");
    }
}
