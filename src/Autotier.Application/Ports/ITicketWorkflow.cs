namespace Autotier.Application.Ports;

/// <summary>The ticket's workflow (one Durable orchestration per ticket).</summary>
public interface ITicketWorkflow
{
    /// <summary>Starts the ticket's workflow unless it already runs; true when this call started it.</summary>
    Task<bool> EnsureStartedAsync(TicketWorkflowInput input, CancellationToken cancellationToken);

    /// <summary>What the workflow says about itself (its custom status and runtime status), or null.</summary>
    Task<WorkflowStatus?> GetStatusAsync(string ticketId, CancellationToken cancellationToken);

    /// <summary>
    /// Raises an event to the ticket's running workflow. <c>Finished</c> when it has ended (or was
    /// never started, or its history was purged): nothing can change a finished ticket's workflow.
    /// </summary>
    Task<RaiseResult> RaiseAsync(string ticketId, Domain.Lifecycle.TicketEvent ticketEvent, CancellationToken cancellationToken);
}

public enum RaiseResult { Delivered, Finished }

/// <summary>
/// The orchestration's input. <c>Version</c> is stamped by the starter so that later versions of the
/// workflow can replay instances started by earlier ones the way those ran.
/// </summary>
public sealed record TicketWorkflowInput(string TicketId, string ClientId, DateTimeOffset? AcknowledgedAt, int Version)
{
    /// <summary>The optional assistant is configured: an unsure classification gets its second opinion.</summary>
    public bool SecondOpinion { get; init; }
}

public sealed record WorkflowStatus(string RuntimeStatus, System.Text.Json.JsonElement? CustomStatus);

/// <summary>
/// What an engineer may do to a ticket's workflow itself from the ops page (issue #34 fix 2): start a
/// failed one again, or stop one for good. Apart from <see cref="ITicketWorkflow"/> because only the
/// ops actions need it.
/// </summary>
public interface ITicketWorkflowControl
{
    /// <summary>
    /// Starts the ticket's workflow again from the beginning, under the same instance id, when its
    /// last run failed, stamped <paramref name="version"/> (a fresh run has no history to replay, so it
    /// runs today's steps). Steps that already happened are not repeated: every activity is
    /// idempotent per (ticket, step).
    /// </summary>
    Task<WorkflowControlResult> RetryFailedAsync(string ticketId, int version, CancellationToken cancellationToken);

    /// <summary>Ends a pending, running or suspended workflow; a failed one has nothing left running (Done, nothing sent).</summary>
    Task<WorkflowControlResult> StopAsync(string ticketId, string reason, CancellationToken cancellationToken);
}

/// <param name="Done">The retry or stop happened (or another caller's same retry did).</param>
/// <param name="RuntimeStatus">The instance's status before the call; null when there is no instance.</param>
public sealed record WorkflowControlResult(bool Done, string? RuntimeStatus);
