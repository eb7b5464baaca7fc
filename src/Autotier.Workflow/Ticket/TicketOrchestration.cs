using Autotier.Application.Ports;
using Autotier.Workflow.Activities;
using Microsoft.DurableTask;

namespace Autotier.Workflow.Ticket;

/// <summary>What the workflow shows as its custom status (the API's <c>workflow</c> field).</summary>
public sealed record TicketWorkflowStatus(string Stage, string Phase);

/// <summary>An event from outside the workflow (a reply, a plan, a resolution: the lifecycle issue adds them).</summary>
public sealed record TicketEvent(string Type, string? By, string? Note);

/// <summary>
/// One orchestration per ticket (<c>ticket-&lt;ticketId&gt;</c>). This first slice acknowledges the
/// ticket, then waits for what comes next; classification, playbooks, timers and escalation are
/// added phase by phase. Deterministic: time only from the context, no I/O here. A
/// <see cref="TaskOrchestrator{TInput, TOutput}"/> so that the Durable analyzers check it (they
/// follow orchestrator classes, not a static method in another assembly called by a trigger).
/// </summary>
public sealed class TicketOrchestration : TaskOrchestrator<TicketWorkflowInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, TicketWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SetCustomStatus(new TicketWorkflowStatus("received", "acknowledging"));
        await context.AcknowledgeAsync(new AcknowledgeInput(input.TicketId, input.AcknowledgedAt, context.CurrentUtcDateTime));
        // Only when the optional assistant is configured (stamped on the input at start, so an
        // instance replays the steps it began with).
        if (input.SecondOpinion)
            await context.ReviewClassificationAsync(new ReviewInput(input.TicketId, context.CurrentUtcDateTime));
        // Intake classified the ticket before the workflow started; the phases that act on the
        // classification (automation, escalation) come with the lifecycle port.
        context.SetCustomStatus(new TicketWorkflowStatus("classified", "awaiting_lifecycle"));
        var next = await context.WaitForExternalEvent<TicketEvent>(TicketEvents.Name);
        context.SetCustomStatus(new TicketWorkflowStatus("closed", "done"));
        return next.Type;
    }
}
