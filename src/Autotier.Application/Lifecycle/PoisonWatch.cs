using System.Globalization;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;

namespace Autotier.Application.Lifecycle;

/// <summary>What a poison queue holds: intake deliveries, or alerts that could not be delivered.</summary>
public enum PoisonHolds
{
    Intake,
    Alerts,
}

/// <summary>
/// The hourly watch on the poison queues (TypeScript watchPoison.ts): while messages wait there,
/// tier 2 is told at most once an hour per queue, how many and how to replay them. An alert that
/// could not be delivered would otherwise be lost in silence, and an intake delivery is a ticket
/// nobody sees.
/// </summary>
public sealed class PoisonWatch(IPoisonQueues poison, INotifier notifier, ITokenStore tokens)
{
    /// <summary>
    /// Watches <paramref name="queue"/>'s poison queue; returns the alert's text when it raised one.
    /// <paramref name="defaultQueue"/>: the queue <c>autotier intake replay</c> takes without <c>--queue</c>.
    /// </summary>
    public async Task<string?> WatchAsync(string queue, PoisonHolds holds, DateTimeOffset now, CancellationToken cancellationToken, bool defaultQueue = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        var count = await poison.WaitingAsync(queue, cancellationToken);
        if (count == 0) return null;
        var hour = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture);
        var poisonName = queue + "-poison";
        if (!await tokens.UseAsync($"poison-alert:{poisonName}:{hour}", now.AddDays(1), cancellationToken)) return null;
        var alerts = holds == PoisonHolds.Alerts;
        var message = alerts
            ? $"{count} alert{(count == 1 ? "" : "s")} could not be delivered after five tries and wait{(count == 1 ? "s" : "")} in {poisonName}. The logs (autotier.alertDeliveryFailed) and the Events table (alert_delivery_failed) name the failing channel; fix it in AUTOTIER_NOTIFY, then run: autotier intake replay --queue {queue}"
            : $"{count} intake deliver{(count == 1 ? "y" : "ies")} failed five times and wait in {poisonName}. Check the logs, fix the cause, then run: autotier intake replay{(defaultQueue ? "" : " --queue " + queue)}";
        await notifier.NotifyAsync(
            new AlertFacts(
                // One per queue and hour (the C# app has three intake queues: deliveries, starts, mail).
                $"poison-{queue}-{hour}",
                alerts ? "_alerts" : "_intake",
                "_all",
                2,
                alerts ? AlertKinds.AlertPoison : AlertKinds.IntakePoison,
                message,
                now),
            cancellationToken);
        return message;
    }

    /// <summary>
    /// The intake queues' poison queues (the first is the one <c>autotier intake replay</c> takes by
    /// default) and each routed audience's (only those can fail to deliver).
    /// </summary>
    public async Task<IReadOnlyList<string>> WatchAllAsync(IReadOnlyList<string> intakeQueues, IEnumerable<string> alertQueues, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intakeQueues);
        ArgumentNullException.ThrowIfNull(alertQueues);
        var raised = new List<string>();
        for (var i = 0; i < intakeQueues.Count; i++)
            if (await WatchAsync(intakeQueues[i], PoisonHolds.Intake, now, cancellationToken, defaultQueue: i == 0) is { } intake) raised.Add(intake);
        foreach (var queue in alertQueues)
            if (await WatchAsync(queue, PoisonHolds.Alerts, now, cancellationToken) is { } alert) raised.Add(alert);
        return raised;
    }
}

/// <summary>The queues the watch looks at, from the app's settings.</summary>
public sealed record PoisonWatchQueues(IReadOnlyList<string> Intake, IReadOnlyList<string> Alerts);
