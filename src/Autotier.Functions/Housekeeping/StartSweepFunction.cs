using Autotier.Adapters.Durable;
using Autotier.Application.Lifecycle;
using Autotier.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Autotier.Functions.Housekeeping;

/// <summary>Every five minutes: starts the workflow of a stored ticket whose start was lost (<see cref="StartSweep"/>).</summary>
public sealed class StartSweepFunction(StartSweep sweep)
{
    [Function("ticketStartSweep")]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        sweep.RunAsync(new DurableTicketWorkflow(durable, OrchestrationNames.Ticket), cancellationToken);
}
