using Autotier.Application.Lifecycle;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Autotier.Functions.Housekeeping;

/// <summary>
/// Hourly: tells tier 2 while intake deliveries, or alerts that could not be delivered, wait in a
/// poison queue. It runs in the same minute as the Graph subscription timer (as the TypeScript
/// app's <c>intakePoisonWatch</c>), so a client instance that scaled to zero wakes once an hour for both.
/// </summary>
public sealed partial class PoisonWatchFunction(PoisonWatch watch, PoisonWatchQueues queues, TimeProvider time, ILogger<PoisonWatchFunction> logger)
{
    [Function("intakePoisonWatch")]
    public async Task Run([TimerTrigger("0 5 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        foreach (var raised in await watch.WatchAllAsync(queues.Intake, queues.Alerts, time.GetUtcNow(), cancellationToken))
            LogRaised(logger, raised); // an error in the log, which an Application Insights alert rule pages on
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "autotier.poison {Message}")]
    private static partial void LogRaised(ILogger logger, string message);
}
