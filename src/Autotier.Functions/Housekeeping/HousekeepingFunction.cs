using Autotier.Adapters.Durable;
using Autotier.Application.Lifecycle;
using Autotier.Application.Ports;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Autotier.Functions.Housekeeping;

/// <summary>The hourly upkeep: workflow health, history purge, expired nonces (Application's <see cref="Housekeeping"/>).</summary>
public sealed class HousekeepingFunction(INotifier notifier, ITokenStore tokens, TimeProvider time, ILoggerFactory loggers, Composition.AutotierSettings settings)
{
    [Function("workflowHousekeeping")]
    public Task Run([TimerTrigger("0 17 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        new Application.Lifecycle.Housekeeping(new DurableWorkflowAdmin(durable), notifier, tokens, time, loggers.CreateLogger<Application.Lifecycle.Housekeeping>())
        {
            RetentionDays = settings.HistoryRetentionDays,
        }.RunAsync(cancellationToken);
}
