using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;
using Autotier.Workflow.Activities.Lifecycle;
using Autotier.Workflow.Activities;
using Microsoft.DurableTask;

namespace Autotier.Workflow.Ticket;

/// <summary>What the workflow shows as its custom status (the API's <c>workflow</c> field).</summary>
public sealed record TicketWorkflowStatus(string Stage, string Phase)
{
    public string? Category { get; init; }

    public int? Tier { get; init; }

    /// <summary>The nearest deadline the workflow waits on, and which it is (reminder, tierLimit, slaBreach, ...).</summary>
    public DateTimeOffset? NextDeadline { get; init; }

    public string? NextDeadlineIs { get; init; }
}

/// <summary>
/// One orchestration per ticket (<c>ticket-&lt;ticketId&gt;</c>), from acknowledgement to close.
/// Deterministic: time only from the context, every side effect in an activity keyed by ticket and
/// step. Phases: clarifying (an uncertain ticket's one question) or automation (the playbook) ->
/// awaiting (the requester's answer; the SLA clock paused) -> escalate -> escalated (tier limits,
/// SLA deadlines, pager) -> closed (the reopen window) -> done. A
/// <see cref="TaskOrchestrator{TInput, TOutput}"/> so that the Durable analyzers check it.
/// </summary>
public sealed class TicketOrchestration : TaskOrchestrator<TicketWorkflowInput, string>
{
    /// <summary>
    /// The workflow's sequence of steps, stamped on each instance's input when it starts (an
    /// instance replays the steps it began with). 1: acknowledge (and the assistant's second
    /// opinion), then wait for one event; 2: the whole lifecycle.
    /// </summary>
    public const int LifecycleVersion = 2;

    public override async Task<string> RunAsync(TaskOrchestrationContext context, TicketWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SetCustomStatus(new TicketWorkflowStatus("received", "acknowledging"));
        // The SLA clock starts when the ticket reached the workflow, not once it was acknowledged
        // (a backlog or a retried mail must not push the P1 windows back).
        var receivedAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
        await context.AcknowledgeAsync(new AcknowledgeInput(input.TicketId, input.AcknowledgedAt, context.CurrentUtcDateTime));
        // Only when the optional assistant is configured (stamped on the input at start).
        if (input.SecondOpinion)
            await context.ReviewClassificationAsync(new ReviewInput(input.TicketId, context.CurrentUtcDateTime));
        if (input.Version < LifecycleVersion) return await FirstSliceAsync(context);

        var setup = await context.StartLifecycleAsync(new SetupInput(input.TicketId, receivedAt));
        var run = new TicketRun(context, input.TicketId, setup, receivedAt);
        // Outages and security tickets that look alike are one incident: one page, one engineer.
        if (setup.Classification.Route == Routes.Escalate)
            run.Incident = await context.LinkIncidentAsync(new IncidentInput(input.TicketId, receivedAt));
        var phase = setup.Classification.Route switch
        {
            Routes.Auto => Phase.Automation,
            Routes.Clarify => Phase.Clarifying,
            _ => Phase.Escalate,
        };
        while (phase != Phase.Done)
        {
            var failedIn = phase;
            run.Phase = phase;
            try
            {
                phase = await RunPhaseAsync(run, phase);
            }
            catch (TaskFailedException e) when (failedIn != Phase.Escalate)
            {
                // An activity that failed every retry (storage or mail down for minutes, a bug on odd
                // input) must not end the ticket in silence: a person takes over with the reason. A
                // failure while handing over goes up, and the stuck-workflow watch reports the instance.
                run.Failures++;
                var reason = $"autotier could not finish the {failedIn.ToString().ToLowerInvariant()} step ({Failure.Reason(e)})";
                if (run.Stage is Stage.Resolved or Stage.Closed && failedIn != Phase.Closed)
                {
                    // Resolved already (the fix is recorded): a failed mail or hand-on after it must not
                    // put the ticket back with a person; the tier hears of the failure, the close goes on.
                    await run.AlertAsync("workflow_problem", run.Tier, $"{run.TicketId} is resolved, but {reason}");
                    phase = Phase.Closed;
                    continue;
                }
                run.EscalationReason = reason + "; a person should take it from here";
                run.EscalationTold = null;
                run.Sla = run.Sla.Resume(run.Now);
                phase = Phase.Escalate;
            }
        }
        run.Phase = Phase.Done;
        run.SetStatus();
        return System.Text.Json.JsonSerializer.Serialize(run.Stage).Trim('"');
    }

    private static Task<Phase> RunPhaseAsync(TicketRun run, Phase phase) => phase switch
    {
        Phase.Clarifying => AutomationPhases.ClarifyingAsync(run),
        Phase.Automation => AutomationPhases.AutomationAsync(run),
        Phase.Awaiting => AutomationPhases.AwaitingAsync(run),
        Phase.Escalate => PersonPhases.EscalateAsync(run),
        Phase.Escalated => PersonPhases.EscalatedAsync(run),
        Phase.Closed => PersonPhases.ClosedAsync(run),
        _ => throw new InvalidOperationException($"no phase {phase}"),
    };

    /// <summary>Version 1 (the foundation's slice), kept so its instances replay: wait for one event, then end.</summary>
    private static async Task<string> FirstSliceAsync(TaskOrchestrationContext context)
    {
        context.SetCustomStatus(new TicketWorkflowStatus("classified", "awaiting_lifecycle"));
        var next = await context.WaitForExternalEvent<TicketEvent>(TicketEvents.Name);
        context.SetCustomStatus(new TicketWorkflowStatus("closed", "done"));
        return next.Kind;
    }
}
