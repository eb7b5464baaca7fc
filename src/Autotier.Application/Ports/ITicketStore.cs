using Autotier.Domain.Tickets;

namespace Autotier.Application.Ports;

/// <summary>Tickets and their timelines.</summary>
public interface ITicketStore
{
    /// <summary>
    /// Stores a new ticket with the next reference number, or returns the ticket an earlier call with
    /// the same (client, external id) made (<c>Created</c> false): repeat deliveries start nothing new.
    /// </summary>
    Task<TicketCreation> CreateAsync(NewTicket input, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Ticket?> GetAsync(string ticketId, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a stored ticket: <paramref name="change"/> gets the stored ticket and returns the new
    /// one, or null to leave it as it is. Run again on a fresh read when another writer got there
    /// first, so it must be a pure function of the ticket. Null when no such ticket is stored.
    /// </summary>
    Task<Ticket?> UpdateAsync(string ticketId, Func<Ticket, Ticket?> change, CancellationToken cancellationToken);

    /// <summary>Adds a timeline line; a step already recorded is left as it was (activities run at least once).</summary>
    Task<bool> AppendTimelineAsync(string ticketId, TimelineEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(string ticketId, CancellationToken cancellationToken);

    /// <summary>
    /// The tickets created in [<paramref name="createdFrom"/>, <paramref name="createdBefore"/>) still at
    /// <see cref="Stage.Received"/> or <see cref="Stage.Classified"/> (no workflow step has moved them),
    /// at most <paramref name="max"/>: what the start sweep checks for a workflow that never started.
    /// </summary>
    Task<IReadOnlyList<Ticket>> NotYetMovedAsync(DateTimeOffset createdFrom, DateTimeOffset createdBefore, int max, CancellationToken cancellationToken);
}

public sealed record TicketCreation(Ticket Ticket, bool Created);
