using Autotier.Domain.Tickets;

namespace Autotier.Application.Ops;

/// <summary>
/// Bounded reads of tickets for the ops page. Its own port rather than more of <c>ITicketStore</c>:
/// only the page reads tickets in bulk, and every read here has a stated bound.
/// </summary>
public interface IOpsQuery
{
    /// <summary>
    /// Tickets newest first, starting below <paramref name="before"/> (a ticket id) or at the newest,
    /// looking through at most <paramref name="scanLimit"/> ticket numbers and keeping those
    /// <paramref name="keep"/> accepts, up to <paramref name="limit"/>. <c>Next</c> is where the next
    /// page starts when the scan stopped before the oldest ticket.
    /// </summary>
    Task<OpsTicketPage> NewestAsync(string? before, int limit, int scanLimit, Func<Ticket, bool> keep, CancellationToken cancellationToken);

    /// <summary>The stored tickets among <paramref name="ticketIds"/> (at most a few hundred), in no particular order.</summary>
    Task<IReadOnlyList<Ticket>> GetManyAsync(IReadOnlyCollection<string> ticketIds, CancellationToken cancellationToken);
}

/// <param name="Next">The ticket id the next, older page starts below; null when there is none.</param>
public sealed record OpsTicketPage(IReadOnlyList<Ticket> Tickets, string? Next);

/// <summary>The ticket workflows' Durable instances, as the ops page reads them.</summary>
public interface IWorkflowMonitor
{
    /// <summary>Ticket workflows with one of <paramref name="statuses"/> (one instance query).</summary>
    Task<IReadOnlyList<WorkflowSummary>> ListAsync(IReadOnlyCollection<string> statuses, CancellationToken cancellationToken);

    /// <summary>
    /// The workflows of these tickets (at most a few hundred), one point read each. The TypeScript page
    /// queried the instances created since the oldest ticket shown instead; on the Azure Storage
    /// provider that query scans the whole Instances table (it is keyed by instance id, not time), and
    /// under the local virtual clock Durable's creation times are real while the tickets' are not.
    /// </summary>
    Task<IReadOnlyList<WorkflowSummary>> GetManyAsync(IReadOnlyCollection<string> ticketIds, CancellationToken cancellationToken);

    /// <summary>One ticket's instance with its history; null when there is none (never started, or purged).</summary>
    Task<WorkflowDetails?> DetailsAsync(string ticketId, CancellationToken cancellationToken);
}

/// <summary>What a workflow says of itself: its runtime status and what its custom status carries.</summary>
public sealed record WorkflowSummary(
    string TicketId,
    string RuntimeStatus,
    string? Phase,
    DateTimeOffset? NextDeadline,
    string? NextDeadlineIs,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt)
{
    public static IReadOnlyList<string> Live { get; } = ["Pending", "Running", "Suspended"];

    /// <summary>A live workflow whose next deadline has passed: it should have woken and has not (TS <c>isOverdue</c>).</summary>
    public bool IsOverdue(DateTimeOffset now) => Live.Contains(RuntimeStatus) && NextDeadline is { } due && due < now;
}

/// <param name="Output">What it returned or, for a failed one, what failed.</param>
/// <param name="History">Null when the Durable client cannot read histories; events oldest first.</param>
public sealed record WorkflowDetails(WorkflowSummary Summary, string? Output, IReadOnlyList<WorkflowHistoryEvent>? History);

/// <summary>One history event: its type, when, the activity, timer or event it concerns, and a detail (a timer's fire time, a failure's reason). Never a payload: those can hold what people wrote.</summary>
public sealed record WorkflowHistoryEvent(string Type, DateTimeOffset At, string? Name, string? Detail);
