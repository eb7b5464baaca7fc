using Autotier.Application.Ports;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;

namespace Autotier.Application.Lifecycle;

/// <summary>
/// Links an outage or security ticket to its client's open incident of the same kind and similar
/// words, or opens one it leads. Idempotent: a ticket already linked keeps its link, and the
/// incident a ticket opens is named after it.
/// </summary>
public sealed class IncidentLinking(ITicketStore tickets, IIncidentStore incidents)
{
    private const int MaxAttempts = 5;

    public async Task<IncidentLink?> LinkAsync(string ticketId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var ticket = await tickets.GetAsync(ticketId, cancellationToken) ?? throw new InvalidOperationException($"ticket {ticketId} is not stored");
        if (ticket.IncidentId is { } linked && await incidents.GetAsync(ticket.ClientId, linked, cancellationToken) is { } existing)
            return new IncidentLink(existing.IncidentId, existing.LeadTicketId);
        if (ticket.Classification is not { } classification || Incidents.KindOf(classification, ticket.Subject, ticket.Body) is not { } kind) return null;
        var words = Incidents.WordsOf(ticket.Subject, ticket.Body);

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var open = await incidents.OpenAsync(ticket.ClientId, cancellationToken);
            IncidentLink? link = null;
            if (Incidents.Match(open.Where(i => i.LeadTicketId != ticketId), ticket.ClientId, kind, words, at) is { } match)
            {
                var joined = await incidents.UpdateAsync(ticket.ClientId, match.IncidentId, i =>
                    i.Members.Contains(ticketId) ? null
                    : i.Closed ? null
                    : i with { Members = [.. i.Members, ticketId], LastJoinedAt = at > i.LastJoinedAt ? at : i.LastJoinedAt },
                    cancellationToken);
                if (joined is not null && joined.Members.Contains(ticketId)) link = new IncidentLink(joined.IncidentId, joined.LeadTicketId);
            }
            else
            {
                var incident = new Incident("INC-" + ticketId, ticket.ClientId, kind, ticketId, at, at, [ticketId], words);
                await incidents.TryCreateAsync(incident, cancellationToken);
                link = new IncidentLink(incident.IncidentId, ticketId);
            }
            if (link is null) continue; // the incident closed meanwhile: look again
            await tickets.UpdateAsync(ticketId, t => t.IncidentId == link.IncidentId ? null : t with { IncidentId = link.IncidentId }, cancellationToken);
            await tickets.AppendTimelineAsync(ticketId, new TimelineEntry("incident", at, null,
                link.IsLead(ticketId) ? $"Opened incident {link.IncidentId} ({kind})" : $"Linked to incident {link.IncidentId}, led by {link.LeadTicketId}"), cancellationToken);
            return link;
        }
        return null;
    }

    /// <summary>The incident's tickets (the lead acts for them); closing it when the lead is resolved.</summary>
    public async Task<IReadOnlyList<string>> MembersAsync(string clientId, string incidentId, bool close, CancellationToken cancellationToken)
    {
        var incident = close
            ? await incidents.UpdateAsync(clientId, incidentId, i => i.Closed ? null : i with { Closed = true }, cancellationToken)
            : await incidents.GetAsync(clientId, incidentId, cancellationToken);
        return incident?.Members ?? [];
    }
}
