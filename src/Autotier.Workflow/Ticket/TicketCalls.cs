using Autotier.Workflow.Activities;
using Microsoft.DurableTask;

namespace Autotier.Workflow.Ticket;

/// <summary>
/// Typed calls from the orchestrator to its activities: no activity name or result type is written
/// at a call site, so a renamed activity or a changed record fails to compile instead of at run time.
/// </summary>
public static class TicketCalls
{
    /// <summary>Mail and storage hiccups are retried; a ticket is never left unacknowledged by one blip.</summary>
    public static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2.0));

    public static Task<AcknowledgeResult> AcknowledgeAsync(this TaskOrchestrationContext context, AcknowledgeInput input) =>
        context.CallActivityAsync<AcknowledgeResult>(ActivityNames.Acknowledge, input, Retry);

    public static Task<ReviewResult> ReviewClassificationAsync(this TaskOrchestrationContext context, ReviewInput input) =>
        context.CallActivityAsync<ReviewResult>(ActivityNames.ReviewClassification, input, Retry);
}
