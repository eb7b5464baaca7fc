using Autotier.Domain.Classification;
using Autotier.Workflow.Activities;
using Autotier.Workflow.Activities.Lifecycle;
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

    public static Task<TicketSetup> StartLifecycleAsync(this TaskOrchestrationContext context, SetupInput input) =>
        context.CallActivityAsync<TicketSetup>(ActivityNames.StartLifecycle, input, Retry);

    public static Task<PlaybookResult> RunPlaybookAsync(this TaskOrchestrationContext context, PlaybookInput input) =>
        context.CallActivityAsync<PlaybookResult>(ActivityNames.RunPlaybook, input, Retry);

    public static Task<bool> SendUpdateAsync(this TaskOrchestrationContext context, UpdateInput input) =>
        context.CallActivityAsync<bool>(ActivityNames.SendUpdate, input, Retry);

    public static Task UpdateTicketAsync(this TaskOrchestrationContext context, TicketUpdate input) =>
        context.CallActivityAsync(ActivityNames.UpdateTicket, input, Retry);

    public static Task NotifyTierAsync(this TaskOrchestrationContext context, AlertInput input) =>
        context.CallActivityAsync(ActivityNames.NotifyTier, input, Retry);

    public static Task RecordOutcomeAsync(this TaskOrchestrationContext context, OutcomeInput input) =>
        context.CallActivityAsync(ActivityNames.RecordOutcome, input, Retry);

    public static Task EscalateAsync(this TaskOrchestrationContext context, EscalateInput input) =>
        context.CallActivityAsync(ActivityNames.Escalate, input, Retry);

    public static Task RecordReplyAsync(this TaskOrchestrationContext context, ReplyInput input) =>
        context.CallActivityAsync(ActivityNames.RecordReply, input, Retry);

    public static Task<ReplyRead> ReadReplyAsync(this TaskOrchestrationContext context, ReadReplyInput input) =>
        context.CallActivityAsync<ReplyRead>(ActivityNames.ReadReply, input, Retry);

    public static Task<TicketClassification> ClassifyClarifiedAsync(this TaskOrchestrationContext context, ClarifiedInput input) =>
        context.CallActivityAsync<TicketClassification>(ActivityNames.ClassifyClarified, input, Retry);

    public static Task<Domain.Lifecycle.IncidentLink?> LinkIncidentAsync(this TaskOrchestrationContext context, IncidentInput input) =>
        context.CallActivityAsync<Domain.Lifecycle.IncidentLink?>(ActivityNames.LinkIncident, input, Retry);

    public static Task<IReadOnlyList<string>> IncidentMembersAsync(this TaskOrchestrationContext context, IncidentMembersInput input) =>
        context.CallActivityAsync<IReadOnlyList<string>>(ActivityNames.IncidentMembers, input, Retry);
}
