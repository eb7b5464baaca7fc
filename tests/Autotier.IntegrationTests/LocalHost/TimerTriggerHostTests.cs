using Autotier.LocalHost.Indexing;
using Autotier.LocalHost.Timers;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.IntegrationTests.LocalHost;

/// <summary>The timer host on a fake clock: it fires when the clock passes an occurrence, never before.</summary>
public sealed class TimerTriggerHostTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 30000)]
    public async Task A_six_field_schedule_fires_once_the_fake_clock_passes_it_and_not_before()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var clock = new FakeTimeProvider(Start);
        await using var running = await StartAsync("lhTimer", clock, new() { ["LH_SCHEDULE"] = "30 * * * * *" }, timeout.Token);
        await Eventually(() => running.Host.NextOccurrence("lhTimer") == Start.AddSeconds(30), timeout.Token);

        clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(300, timeout.Token); // time for a wrongly early invocation to show
        Assert.Equal(0, running.Invocations.Count);

        clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually(() => running.Invocations.Count == 1, timeout.Token);
        var first = Assert.IsType<TimerInfo>(running.Invocations.Values[0]);
        Assert.False(first.IsPastDue);
        Assert.Equal(Start.AddSeconds(90).UtcDateTime, first.ScheduleStatus!.Next);

        // Re-armed for 08:01:30; the clock then jumps five minutes: one past-due run, not five.
        await Eventually(() => running.Host.NextOccurrence("lhTimer") == Start.AddSeconds(90), timeout.Token);
        clock.Advance(TimeSpan.FromMinutes(5));
        await Eventually(() => running.Invocations.Count == 2, timeout.Token);
        var second = Assert.IsType<TimerInfo>(running.Invocations.Values[1]);
        Assert.True(second.IsPastDue);
        Assert.Equal(Start.AddSeconds(30).UtcDateTime, second.ScheduleStatus!.Last);
        // Now 08:05:31: the next run is 08:06:30, computed from the clock, not from the missed ones.
        await Eventually(() => running.Host.NextOccurrence("lhTimer") == Start.AddMinutes(6).AddSeconds(30), timeout.Token);
        Assert.Equal(2, running.Invocations.Count);
    }

    [Fact(Timeout = 30000)]
    public async Task Run_on_startup_invokes_once_at_start_then_waits_for_the_schedule()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var clock = new FakeTimeProvider(Start);
        await using var running = await StartAsync("lhStartupTimer", clock, [], timeout.Token);

        await Eventually(() => running.Invocations.Count == 1, timeout.Token);
        var info = Assert.IsType<TimerInfo>(running.Invocations.Values[0]);
        Assert.Equal(new DateTime(2025, 3, 2, 3, 0, 0, DateTimeKind.Utc), info.ScheduleStatus!.Next);
        await Eventually(() => running.Host.NextOccurrence("lhStartupTimer") == new DateTimeOffset(2025, 3, 2, 3, 0, 0, TimeSpan.Zero), timeout.Token);
        Assert.Equal(1, running.Invocations.Count);
    }

    [Fact]
    public void A_schedule_that_is_not_six_field_cron_fails_at_start()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["LH_SCHEDULE"] = "*/5 * * * *" }).Build();
        var functions = FunctionCatalog.Scan(typeof(EveryMinuteTimerFunction).Assembly).Where(f => f.Name == "lhTimer");
        using var services = new ServiceCollection().BuildServiceProvider();
        Assert.Throws<InvalidOperationException>(() => new TimerTriggerHost(functions, services, null, settings, TimeProvider.System, NullLogger<TimerTriggerHost>.Instance));
    }

    private static async Task<Running> StartAsync(string functionName, TimeProvider clock, Dictionary<string, string?> settingValues, CancellationToken cancellationToken)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(settingValues).Build();
        var invocations = new Invocations();
        var services = new ServiceCollection().AddSingleton(invocations).BuildServiceProvider();
        var functions = FunctionCatalog.Scan(typeof(EveryMinuteTimerFunction).Assembly).Where(f => f.Name == functionName).ToList();
        Assert.Single(functions);
        var host = new TimerTriggerHost(functions, services, durable: null, settings, clock, NullLogger<TimerTriggerHost>.Instance);
        await host.StartAsync(cancellationToken);
        return new Running(host, services, invocations);
    }

    private static async Task Eventually(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition()) await Task.Delay(20, cancellationToken);
    }

    private sealed record Running(TimerTriggerHost Host, ServiceProvider Services, Invocations Invocations) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Host.StopAsync(stop.Token);
            Host.Dispose();
            await Services.DisposeAsync();
        }
    }
}
