using Autotier.Adapters.Durable;
using Autotier.Application.Webhooks;
using Autotier.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Autotier.Functions.Webhooks;

/// <summary>
/// Makes tickets from the intake queue: one accepted webhook delivery at a time (or the claim of
/// one too large for a message). Idempotent, as queue messages arrive at least once: the ticket is
/// created once per (client, external id) and its workflow started once.
/// </summary>
public sealed class IntakeFunction(DeliveryProcessor processor)
{
    public const string Queue = "%AUTOTIER_INTAKE_QUEUE%";

    [Function("processIntake")]
    public async Task Run(
        [QueueTrigger(Queue, Connection = "AzureWebJobsStorage")] WebhookDelivery message,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        await processor.ProcessAsync(message, new DurableTicketWorkflow(durable, OrchestrationNames.Ticket), cancellationToken);
    }
}
