using System.Diagnostics;
using Autotier.TestSupport.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Autotier.UnitTests.Durable;

public sealed record RaceInput(TimeSpan Wait);

public sealed record RaceResult(string Winner, DateTime DecidedAt, DateTimeOffset AppNow);

/// <summary>Functions the fake-clock tests run (scanned from this assembly by name).</summary>
public static class FakeClockFunctions
{
    public const string Race = "test_raceTimerAgainstEvent";
    public const string Now = "test_appNow";
    public const string Reminders = "test_dailyReminders";
    public const string SlowThenWait = "test_slowStepThenWeek";
    public const string Slow = "test_slowStep";

    /// <summary>A step that takes a while, then a week's wait (a resolution, then the reopen window).</summary>
    [Function(SlowThenWait)]
    public static async Task<DateTime> SlowStepThenWeek([OrchestrationTrigger] TaskOrchestrationContext context, RaceInput input)
    {
        await context.CallActivityAsync<DateTimeOffset>(Slow, "step");
        await context.CreateTimer(context.CurrentUtcDateTime.Add(input.Wait), CancellationToken.None);
        return context.CurrentUtcDateTime;
    }

    /// <summary>A reminder a day, three times, each timer set when the one before it fired (as the silence policy does).</summary>
    [Function(Reminders)]
    public static async Task<List<DateTimeOffset>> DailyReminders([OrchestrationTrigger] TaskOrchestrationContext context, RaceInput input)
    {
        var sent = new List<DateTimeOffset>();
        for (var i = 0; i < 3; i++)
        {
            await context.CreateTimer(context.CurrentUtcDateTime.Add(input.Wait), CancellationToken.None);
            sent.Add(await context.CallActivityAsync<DateTimeOffset>(Now, "reminder"));
        }
        return sent;
    }

    [Function(Race)]
    public static async Task<RaceResult> RaceTimerAgainstEvent([OrchestrationTrigger] TaskOrchestrationContext context, RaceInput input)
    {
        using var cancel = new CancellationTokenSource();
        var timer = context.CreateTimer(context.CurrentUtcDateTime.Add(input.Wait), cancel.Token);
        var answer = context.WaitForExternalEvent<string>("answer", cancel.Token);
        var first = await Task.WhenAny(timer, answer);
        // Cancel synchronously: CancelAsync would continue on the thread pool, outside the
        // orchestration's own scheduler, and the episode would end before the activity is scheduled.
#pragma warning disable CA1849
        cancel.Cancel();
#pragma warning restore CA1849
        var winner = first == answer ? $"event:{await answer}" : "timer";
        var appNow = await context.CallActivityAsync<DateTimeOffset>(Now, "now");
        return new RaceResult(winner, context.CurrentUtcDateTime, appNow);
    }

}

/// <summary>An activity that reads the app's clock, as activities do (the clock comes through the constructor).</summary>
public sealed class FakeClockActivities(TimeProvider time)
{
    [Function(FakeClockFunctions.Now)]
    public DateTimeOffset AppNow([ActivityTrigger] string what) => time.GetUtcNow();

    /// <summary>Set when the slow step has started (the test advances the clock while it runs).</summary>
    public static readonly TaskCompletionSource SlowStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Function(FakeClockFunctions.Slow)]
    public async Task<DateTimeOffset> SlowStep([ActivityTrigger] string what)
    {
        SlowStarted.TrySetResult();
        await Task.Delay(400);
        return time.GetUtcNow();
    }
}

public sealed class FakeClockTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static Task<FakeClockDurable> StartAsync() => FakeClockDurable.StartAsync(
        typeof(FakeClockFunctions).Assembly,
        f => f.Name.StartsWith("test_", StringComparison.Ordinal),
        services => { });

    [Fact(Timeout = 30_000)]
    public async Task A_ten_day_timer_fires_when_the_clock_is_advanced_and_the_orchestration_reads_the_fake_now()
    {
        await using var durable = await StartAsync();
        var start = durable.Clock.GetUtcNow();
        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync(FakeClockFunctions.Race, new RaceInput(TimeSpan.FromDays(10)));
        // The SDK splits timers longer than 3 days: the first part (3 days) waits on the clock.
        await durable.WaitForHeldTimersAsync(1, Bound);

        var watch = Stopwatch.StartNew();
        await durable.AdvanceAsync(TimeSpan.FromDays(10));
        var done = await durable.WaitForCompletionAsync(id, Bound);
        watch.Stop();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<RaceResult>()!;
        Assert.Equal("timer", result.Winner);
        Assert.Equal((start + TimeSpan.FromDays(10)).UtcDateTime, result.DecidedAt);
        Assert.Equal(start + TimeSpan.FromDays(10), result.AppNow);
        // Ten days of durable time in well under a second of real time on an idle machine (the
        // figure is printed, not asserted: timings belong to the bench); the test's own timeout is
        // the bound, and no real timer of 3 days could have fired within it.
        output.WriteLine($"10 days on the fake clock took {watch.Elapsed.TotalMilliseconds:F0} ms of real time");
    }

    [Fact(Timeout = 30_000)]
    public async Task The_timer_does_not_fire_before_the_clock_reaches_it()
    {
        await using var durable = await StartAsync();
        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync(FakeClockFunctions.Race, new RaceInput(TimeSpan.FromHours(4)));
        await durable.WaitForHeldTimersAsync(1, Bound);

        await durable.AdvanceAsync(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(59));
        await Task.Delay(300);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await durable.Client.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.Equal(1, durable.HeldTimers);

        await durable.AdvanceAsync(TimeSpan.FromMinutes(1));
        var done = await durable.WaitForCompletionAsync(id, Bound);
        Assert.Equal("timer", done.ReadOutputAs<RaceResult>()!.Winner);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_event_before_the_timer_wins_the_race_on_the_same_harness()
    {
        await using var durable = await StartAsync();
        var start = durable.Clock.GetUtcNow();
        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync(FakeClockFunctions.Race, new RaceInput(TimeSpan.FromDays(10)));
        await durable.WaitForHeldTimersAsync(1, Bound);

        await durable.AdvanceAsync(TimeSpan.FromDays(2));
        await durable.Client.RaiseEventAsync(id, "answer", "yes");
        var done = await durable.WaitForCompletionAsync(id, Bound);

        var result = done.ReadOutputAs<RaceResult>()!;
        Assert.Equal("event:yes", result.Winner);
        Assert.Equal((start + TimeSpan.FromDays(2)).UtcDateTime, result.DecidedAt);
    }

    [Fact(Timeout = 60_000)]
    public async Task One_advance_fires_a_chain_of_timers_each_at_its_own_time()
    {
        await using var durable = await StartAsync();
        var start = durable.Clock.GetUtcNow();
        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync(FakeClockFunctions.Reminders, new RaceInput(TimeSpan.FromDays(1)));
        await durable.WaitForHeldTimersAsync(1, Bound);

        await durable.AdvanceAsync(TimeSpan.FromDays(3) + TimeSpan.FromHours(1));
        var done = await durable.WaitForCompletionAsync(id, Bound);

        Assert.Equal([start.AddDays(1), start.AddDays(2), start.AddDays(3)], done.ReadOutputAs<List<DateTimeOffset>>());
        Assert.Equal(start + TimeSpan.FromDays(3) + TimeSpan.FromHours(1), durable.Clock.GetUtcNow());
    }

    /// <summary>
    /// Found in CI: a test saw a ticket's "resolved" (written by an activity) and advanced 8 days
    /// before the workflow had set its 7-day reopen timer; the timer was then set from the advanced
    /// clock and the workflow never closed. An advance now first lets the work in hand finish, as
    /// the real clock would have while that time passed.
    /// </summary>
    [Fact(Timeout = 30_000)]
    public async Task An_advance_made_while_a_step_runs_lets_the_step_and_the_timer_it_leads_to_happen_first()
    {
        await using var durable = await StartAsync();
        var start = durable.Clock.GetUtcNow();
        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync(FakeClockFunctions.SlowThenWait, new RaceInput(TimeSpan.FromDays(7)));
        await FakeClockActivities.SlowStarted.Task.WaitAsync(Bound);

        await durable.AdvanceAsync(TimeSpan.FromDays(8));
        var done = await durable.WaitForCompletionAsync(id, TimeSpan.FromSeconds(5));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal((start + TimeSpan.FromDays(7)).UtcDateTime, done.ReadOutputAs<DateTime>());
    }
}
