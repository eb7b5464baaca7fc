using Autotier.Adapters.Durable;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Domain.Tickets;
using Autotier.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Autotier.Functions.Queue;

/// <summary>
/// Starts the workflow of a ticket whose start could not be made where it was filed: an intake whose
/// Durable call failed after the ticket was stored, an activity (which has no Durable client), later
/// the intake queue. Idempotent: a running workflow is left alone, so the message may arrive twice.
/// </summary>
public sealed partial class StartTicketFunction(IAssistant assistant, ILogger<StartTicketFunction> logger)
{
    public const string Queue = "%AUTOTIER_INTAKE_QUEUE%-start";

    [Function("startTicket")]
    public async Task Run(
        [QueueTrigger(Queue, Connection = "AzureWebJobsStorage")] StartTicketMessage message,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        if (message is not { TicketId: { } ticketId, ClientId: { Length: > 0 } clientId, AcknowledgedAt: var acknowledgedAt } || !TicketIds.IsTicketId(ticketId))
        {
            // Retrying cannot make it a ticket; the poison queue is for messages that might succeed.
            LogDropped(logger);
            return;
        }
        var workflow = new DurableTicketWorkflow(durable, OrchestrationNames.Ticket);
        await workflow.EnsureStartedAsync(
            new TicketWorkflowInput(ticketId, clientId, acknowledgedAt, TicketIntake.WorkflowVersion) { SecondOpinion = assistant.IsConfigured },
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "startTicket: not a ticket to start; dropped")]
    private static partial void LogDropped(ILogger logger);
}
