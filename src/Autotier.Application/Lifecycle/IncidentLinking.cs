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
                var joined = await incidents.UpdateAsync(ticket.ClientId, match.IncidentId, i => Join(i, ticketId, at), cancellationToken);
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

    /// <summary>
    /// An engineer's link (the ops page): the ticket joins an open incident of its own client, whose
    /// lead's engineer then acts for it. A ticket already in another incident is refused (unlink it
    /// first); a second click of the same link changes nothing. Null and why not when it cannot.
    /// </summary>
    public async Task<(IncidentLink? Link, string? Refusal)> LinkToAsync(string ticketId, string incidentId, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return (null, $"ticket {ticketId} not found");
        var incident = await incidents.GetAsync(ticket.ClientId, incidentId, cancellationToken);
        if (incident is null) return (null, $"incident {incidentId} is not one of {ticket.ClientId}'s");
        if (incident.Closed) return (null, $"incident {incidentId} is closed");
        if (ticket.IncidentId == incidentId && incident.Members.Contains(ticketId)) return (new IncidentLink(incidentId, incident.LeadTicketId), null);
        if (ticket.IncidentId is { } other) return (null, $"ticket {ticketId} is in incident {other}; unlink it first");
        var joined = await incidents.UpdateAsync(ticket.ClientId, incidentId, i => Join(i, ticketId, at), cancellationToken);
        if (joined is null || !joined.Members.Contains(ticketId)) return (null, $"incident {incidentId} closed meanwhile");
        await tickets.UpdateAsync(ticketId, t => t.IncidentId == incidentId ? null : t with { IncidentId = incidentId, UpdatedAt = at }, cancellationToken);
        await tickets.AppendTimelineAsync(ticketId, new TimelineEntry($"incident-linked-{at.ToUnixTimeMilliseconds()}", at, null,
            $"Linked to incident {incidentId}, led by {joined.LeadTicketId}, by {by}"), cancellationToken);
        return (new IncidentLink(incidentId, joined.LeadTicketId), null);
    }

    /// <summary>
    /// An engineer's unlink: the ticket leaves its incident and stands on its own again. The lead of
    /// an incident others follow cannot leave it (its engineer acts for them); a lead alone closes it.
    /// </summary>
    public async Task<string?> UnlinkAsync(string ticketId, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return $"ticket {ticketId} not found";
        if (ticket.IncidentId is not { } incidentId) return $"ticket {ticketId} is in no incident";
        var incident = await incidents.GetAsync(ticket.ClientId, incidentId, cancellationToken);
        if (incident is not null && incident.LeadTicketId == ticketId && incident.Members.Any(m => m != ticketId))
            return $"ticket {ticketId} leads incident {incidentId} for {incident.Members.Count - 1} other ticket(s); unlink those first";
        if (incident is not null)
        {
            // Decided again on the fresh read: a ticket may have joined the lead's incident meanwhile.
            var followed = false;
            await incidents.UpdateAsync(ticket.ClientId, incidentId, i =>
            {
                followed = i.LeadTicketId == ticketId && i.Members.Any(m => m != ticketId);
                if (followed || !i.Members.Contains(ticketId)) return null;
                return i with { Closed = i.Closed || i.LeadTicketId == ticketId, Members = [.. i.Members.Where(m => m != ticketId)] };
            }, cancellationToken);
            if (followed) return $"ticket {ticketId} leads incident {incidentId} for other tickets; unlink those first";
        }
        await tickets.UpdateAsync(ticketId, t => t.IncidentId is null ? null : t with { IncidentId = null, UpdatedAt = at }, cancellationToken);
        await tickets.AppendTimelineAsync(ticketId, new TimelineEntry($"incident-unlinked-{at.ToUnixTimeMilliseconds()}", at, null,
            $"Unlinked from incident {incidentId} by {by}: it stands on its own"), cancellationToken);
        return null;
    }

    /// <summary>The incident with the ticket joined at <paramref name="at"/>, or null to leave it (closed, or already a member).</summary>
    private static Incident? Join(Incident incident, string ticketId, DateTimeOffset at) =>
        incident.Closed || incident.Members.Contains(ticketId) ? null
        : incident with { Members = [.. incident.Members, ticketId], LastJoinedAt = at > incident.LastJoinedAt ? at : incident.LastJoinedAt };

    /// <summary>The incident's tickets (the lead acts for them); closing it when the lead is resolved.</summary>
    public async Task<IReadOnlyList<string>> MembersAsync(string clientId, string incidentId, bool close, CancellationToken cancellationToken)
    {
        var incident = close
            ? await incidents.UpdateAsync(clientId, incidentId, i => i.Closed ? null : i with { Closed = true }, cancellationToken)
            : await incidents.GetAsync(clientId, incidentId, cancellationToken);
        return incident?.Members ?? [];
    }
}
