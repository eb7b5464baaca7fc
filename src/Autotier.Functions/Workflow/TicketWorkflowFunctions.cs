using Autotier.Application.Ports;
using Autotier.Workflow;
using Autotier.Workflow.Activities;
using Autotier.Workflow.Ticket;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Autotier.Functions.Workflow;

/// <summary>
/// The ticket orchestrator and its activities, as Functions: each a one-line hand-off to
/// Autotier.Workflow (the lifecycle's activities: LifecycleActivityFunctions.cs).
/// </summary>
public sealed class TicketWorkflowFunctions(AcknowledgeTicket acknowledge, ReviewClassification review)
{
    [Function(OrchestrationNames.Ticket)]
    public static Task<string> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context, TicketWorkflowInput input) =>
        new TicketOrchestration().RunAsync(context, input);

    [Function(ActivityNames.Acknowledge)]
    public Task<AcknowledgeResult> Acknowledge([ActivityTrigger] AcknowledgeInput input, CancellationToken cancellationToken) =>
        acknowledge.RunAsync(input, cancellationToken);

    [Function(ActivityNames.ReviewClassification)]
    public Task<ReviewResult> Review([ActivityTrigger] ReviewInput input, CancellationToken cancellationToken) =>
        review.RunAsync(input, cancellationToken);
}
