using Autotier.Application.Ports;
using Autotier.Domain.Lifecycle;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Lifecycle;

public sealed record HousekeepingResult(int Alerted, int Purged, int Forgotten);

/// <summary>
/// Hourly: tell tier 2 about ticket workflows that failed, never started or slept through their
/// deadline (once per instance and kind), purge the Durable history of finished workflows older
/// than the retention, and forget expired link nonces. Tickets, timelines and resolutions live in
/// their own tables and stay.
/// </summary>
public sealed partial class Housekeeping(IWorkflowAdmin workflows, INotifier notifier, ITokenStore tokens, TimeProvider time, ILogger<Housekeeping> logger)
{
    /// <summary>AUTOTIER_HISTORY_RETENTION_DAYS: days a finished workflow's history is kept, from its creation.</summary>
    public int RetentionDays { get; init; } = 30;

    public async Task<HousekeepingResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var alerted = 0;
        foreach (var problem in WorkflowHealth.Problems(await workflows.UnfinishedAsync(cancellationToken), now))
        {
            var ticketId = problem.InstanceId.StartsWith("ticket-", StringComparison.Ordinal) ? problem.InstanceId["ticket-".Length..] : problem.InstanceId;
            var what = problem.Kind switch { "failed" => "failed", "stuck" => "is stuck", _ => "never started" };
            var message = $"The workflow of {ticketId} {what} ({problem.Detail}). Check the logs and the instance {problem.InstanceId}; the ticket may need a person.";
            // The notifier queues one alert per (ticket, key), so telling it again each hour is harmless;
            // the nonce, claimed only once the alert is queued, keeps the error log to once per problem.
            await notifier.NotifyAsync(new Domain.Alerts.AlertFacts($"workflow-{problem.Kind}", ticketId, "_all", 2, Domain.Alerts.AlertKinds.WorkflowProblem, message, now), cancellationToken);
            if (!await tokens.UseAsync($"workflow-alert:{problem.InstanceId}:{problem.Kind}", now.AddDays(30), cancellationToken)) continue;
            // A logged error reaches Application Insights, where an alert rule can page on it.
            LogWorkflowProblem(logger, problem.InstanceId, problem.Kind);
            alerted++;
        }
        var purged = await workflows.PurgeFinishedAsync(now.AddDays(-RetentionDays), cancellationToken);
        var forgotten = await tokens.SweepAsync(now, cancellationToken);
        LogDone(logger, alerted, purged, forgotten);
        return new HousekeepingResult(alerted, purged, forgotten);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "autotier.workflowAlert {InstanceId} {Kind}: the ticket may need a person")]
    private static partial void LogWorkflowProblem(ILogger logger, string instanceId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "housekeeping: {Alerted} workflow alert(s), {Purged} history purge(s), {Forgotten} expired nonce(s)")]
    private static partial void LogDone(ILogger logger, int alerted, int purged, int forgotten);
}
