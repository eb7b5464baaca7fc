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
