using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Ops;

/// <summary>Why an ops action did nothing: the HTTP status and the words for the page.</summary>
public sealed record OpsRefusal(int Status, string Error);

/// <summary>
/// The ops page's "retry" and "stop" (issue #34 fix 2): what an engineer does when housekeeping says a
/// ticket's workflow failed or is stuck. Both are on the ticket's timeline with who did it.
/// </summary>
public sealed partial class OpsWorkflowActions(ITicketStore tickets, TimeProvider time, ILogger<OpsWorkflowActions> logger)
{
    /// <summary>
    /// A failed workflow runs again from the start (steps already done are not repeated); a ticket
    /// whose workflow never started gets it, as the start sweep would.
    /// </summary>
    public async Task<OpsRefusal?> RetryAsync(string ticketId, string by, ITicketWorkflow workflow, ITicketWorkflowControl control, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(control);
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return new OpsRefusal(404, $"ticket {ticketId} not found");
        var now = time.GetUtcNow();
        var result = await control.RetryFailedAsync(ticketId, TicketIntake.WorkflowVersion, cancellationToken);
        string what;
        if (result.Done)
        {
            what = $"Workflow started again by {by} after it failed";
        }
        else if (result.RuntimeStatus is null && ticket.Stage is not (Stage.Resolved or Stage.Closed))
        {
            await workflow.EnsureStartedAsync(new TicketWorkflowInput(ticketId, ticket.ClientId, null, TicketIntake.WorkflowVersion), cancellationToken);
            what = $"Workflow started by {by}: it had never started";
        }
        else
        {
            return new OpsRefusal(409, result.RuntimeStatus is null
                ? $"ticket {ticketId} is finished and its workflow history is gone; nothing to retry"
                : $"the workflow of {ticketId} is {result.RuntimeStatus.ToLowerInvariant()}; only a failed workflow is retried");
        }
        await tickets.AppendTimelineAsync(ticketId, new TimelineEntry($"workflow-retried-{now.ToUnixTimeMilliseconds()}", now, null, what), cancellationToken);
        LogRetried(logger, ticketId);
        return null;
    }

    /// <summary>
    /// Stops the workflow for good and closes the ticket here: autotier no longer reminds, escalates or
    /// mails about it; the engineer handles it by hand (in the PSA). The requester is not mailed: a
    /// person who stops the automation tells them what happens next.
    /// </summary>
    public async Task<OpsRefusal?> StopAsync(string ticketId, string by, string reason, ITicketWorkflowControl control, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(control);
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return new OpsRefusal(404, $"ticket {ticketId} not found");
        if (ticket.Stage == Stage.Closed) return new OpsRefusal(409, $"ticket {ticketId} is already closed");
        var now = time.GetUtcNow();
        var result = await control.StopAsync(ticketId, $"stopped by {by} on the ops page: {reason}", cancellationToken);
        if (!result.Done && result.RuntimeStatus is not null)
            return new OpsRefusal(409, $"the workflow of {ticketId} is {result.RuntimeStatus.ToLowerInvariant()}; there is nothing to stop");
        await tickets.UpdateAsync(ticketId, t => t.Stage == Stage.Closed ? null : t with { Stage = Stage.Closed, Owner = t.Owner ?? by, UpdatedAt = now }, cancellationToken);
        await tickets.AppendTimelineAsync(ticketId, new TimelineEntry($"workflow-stopped-{now.ToUnixTimeMilliseconds()}", now, Stage.Closed,
            $"Workflow stopped by {by}; the ticket is closed here and handled by hand: {reason}"), cancellationToken);
        LogStopped(logger, ticketId);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ticket {TicketId}: workflow retried from the ops page")]
    private static partial void LogRetried(ILogger logger, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "ticket {TicketId}: workflow stopped from the ops page")]
    private static partial void LogStopped(ILogger logger, string ticketId);
}
