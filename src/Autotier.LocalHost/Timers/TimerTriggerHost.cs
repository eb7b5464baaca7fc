using System.Collections.Concurrent;
using System.Globalization;
using Autotier.LocalHost.Indexing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;

namespace Autotier.LocalHost.Timers;

/// <summary>A timer function's schedule: six-field NCrontab (seconds first) or a fixed interval.</summary>
public sealed record TimerSchedule(string Expression, CrontabSchedule? Cron, TimeSpan? Interval)
{
    /// <summary>
    /// Reads a schedule as the host does: a six-field cron expression, or an interval in
    /// <c>hh:mm:ss</c> form (the host's other schedule format). Times are UTC, the host's default
    /// when <c>WEBSITE_TIME_ZONE</c> is unset.
    /// </summary>
    public static TimerSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (!expression.Contains(' ', StringComparison.Ordinal)
            && TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
            return new TimerSchedule(expression, null, interval);
        return new TimerSchedule(expression, CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true }), null);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        if (Interval is { } interval) return after + interval;
        var next = Cron!.GetNextOccurrence(after.UtcDateTime);
        return new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc));
    }
}

/// <summary>
/// Runs every <c>[TimerTrigger]</c> function on its schedule, on an injected <see cref="TimeProvider"/>
/// so tests and the virtual clock mode move it with a fake clock. One invocation at a time per
/// function, as the host's singleton lock guarantees: the next occurrence is computed once the
/// previous invocation has finished, and occurrences missed meanwhile run once, marked past due.
/// </summary>
public sealed partial class TimerTriggerHost : BackgroundService
{
    // Timers cannot wait longer than about 49 days at once; a long wait is taken in steps.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly IReadOnlyList<FunctionEntry> _functions;
    private readonly IServiceProvider _services;
    private readonly DurableTaskClient? _durable;
    private readonly IConfiguration _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<TimerTriggerHost> _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _next = new(StringComparer.Ordinal);

    public TimerTriggerHost(
        IEnumerable<FunctionEntry> functions,
        IServiceProvider services,
        DurableTaskClient? durable,
        IConfiguration settings,
        TimeProvider time,
        ILogger<TimerTriggerHost> logger)
    {
        ArgumentNullException.ThrowIfNull(functions);
        _functions = [.. functions.Where(f => f.Kind == TriggerKind.Timer)];
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _durable = durable;
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        // A bad schedule fails at start, as the host refuses it at indexing.
        foreach (var function in _functions) _ = Schedule(function, _settings);
    }

    /// <summary>
    /// The occurrence a function is waiting for, once its timer is set (null before that). Tests
    /// advance a fake clock only after this is known, so the wait exists before the clock moves.
    /// </summary>
    public DateTimeOffset? NextOccurrence(string functionName) =>
        _next.TryGetValue(functionName, out var next) ? next : null;

    /// <summary>
    /// Waits (at most <paramref name="limit"/> of real time) until every timer function has run the
    /// occurrence the clock has passed and waits for a later one. The virtual clock's advance calls
    /// it: the clock jumps, the due invocations start on their own, and a caller that looks at once
    /// (the history purge of the hourly housekeeping, say) must find them done, as it would after
    /// that much real time.
    /// </summary>
    public async Task CaughtUpAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        // A function not yet waiting on any occurrence (the host starting) has nothing due.
        while (_functions.Any(f => _next.TryGetValue(f.Name, out var next) && next <= now) && waited.Elapsed < limit)
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A function's schedule, with <c>%SETTING%</c> resolved.</summary>
    public static TimerSchedule Schedule(FunctionEntry function, IConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(function);
        var attribute = function.TriggerAttribute as TimerTriggerAttribute
            ?? throw new ArgumentException($"{function.Name} is not a timer-triggered function", nameof(function));
        var expression = HostJson.Resolve(attribute.Schedule, settings);
        try
        {
            return TimerSchedule.Parse(expression);
        }
        catch (CrontabException e)
        {
            throw new InvalidOperationException($"{function.Name}: \"{expression}\" is not a six-field cron schedule nor an interval", e);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_functions.Select(f => Task.Run(() => RunAsync(f, stoppingToken), CancellationToken.None)));

    private async Task RunAsync(FunctionEntry function, CancellationToken stoppingToken)
    {
        var schedule = Schedule(function, _settings);
        var attribute = (TimerTriggerAttribute)function.TriggerAttribute;
        DateTimeOffset? last = null;
        try
        {
            if (attribute.RunOnStartup)
            {
                var now = _time.GetUtcNow();
                await InvokeAsync(function, new TimerInfo { ScheduleStatus = Status(last, schedule.Next(now), now), IsPastDue = false }, stoppingToken).ConfigureAwait(false);
            }
            while (!stoppingToken.IsCancellationRequested)
            {
                var occurrence = schedule.Next(_time.GetUtcNow());
                await WaitUntilAsync(function.Name, occurrence, stoppingToken).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                var following = schedule.Next(occurrence);
                // Past due: the clock went by a later occurrence too (a long invocation, a
                // suspended machine, a fake clock advanced by days); it runs once, not per miss.
                var info = new TimerInfo { ScheduleStatus = Status(last, schedule.Next(now), now), IsPastDue = following <= now };
                await InvokeAsync(function, info, stoppingToken).ConfigureAwait(false);
                last = occurrence;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; an invocation in flight has been awaited above.
        }
        finally
        {
            _next.TryRemove(function.Name, out _);
        }
    }

    private async Task WaitUntilAsync(string functionName, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var published = false;
        while (true)
        {
            var remaining = occurrence - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero) return;
            // The timer is created inside Task.Delay, before the occurrence is published, so a
            // fake clock advanced by someone who saw it always finds the timer there.
            var wait = Task.Delay(remaining < LongestWait ? remaining : LongestWait, _time, cancellationToken);
            if (!published)
            {
                _next[functionName] = occurrence;
                LogScheduled(_logger, functionName, occurrence);
                published = true;
            }
            await wait.ConfigureAwait(false);
        }
    }

    private async Task InvokeAsync(FunctionEntry function, TimerInfo info, CancellationToken stoppingToken)
    {
        try
        {
            await FunctionInvoker.InvokeAsync(function, new InvocationBindings(_services, info, _durable, stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed run is logged and the schedule goes on, as on the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(_logger, e, function.Name);
        }
    }

    private static ScheduleStatus Status(DateTimeOffset? last, DateTimeOffset next, DateTimeOffset now) => new()
    {
        Last = last?.UtcDateTime ?? default,
        Next = next.UtcDateTime,
        LastUpdated = now.UtcDateTime,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Function}: next run at {Occurrence:o}")]
    private static partial void LogScheduled(ILogger logger, string function, DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Function}: timer invocation failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function);
}
