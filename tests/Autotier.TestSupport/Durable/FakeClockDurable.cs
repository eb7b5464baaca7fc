using System.Reflection;
using Autotier.Application.Json;
using Autotier.LocalHost.Durable;
using Autotier.LocalHost.Indexing;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Autotier.TestSupport.Durable;

/// <summary>
/// Orchestrations on the real Durable Task Framework engine with time that moves only when told:
/// the SDK's public in-memory orchestration service, wrapped by the local host's virtual clock
/// decorator, run by the same <see cref="DurableEngine"/> the local host uses. Days pass in
/// milliseconds; <c>CurrentUtcDateTime</c> and the app's <see cref="TimeProvider"/> read the same fake now.
/// </summary>
public sealed class FakeClockDurable : IAsyncDisposable
{
    private readonly DurableEngine engine;
    private readonly VirtualClockOrchestrationService service;
    private readonly ServiceProvider services;

    private FakeClockDurable(DurableEngine engine, VirtualClockOrchestrationService service, ServiceProvider services)
    {
        this.engine = engine;
        this.service = service;
        this.services = services;
    }

    public FakeTimeProvider Clock => service.Clock;

    public DurableTaskClient Client => engine.Client;

    public IServiceProvider Services => services;

    public int HeldTimers => service.HeldTimers;

    /// <summary>Starts an engine running the <c>[Function]</c>s of <paramref name="assembly"/> that <paramref name="include"/> picks.</summary>
    public static async Task<FakeClockDurable> StartAsync(
        Assembly assembly, Func<FunctionEntry, bool>? include = null, Action<IServiceCollection>? configure = null, DateTimeOffset? start = null)
    {
        var clock = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(clock);
        configure?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        var memory = new InMemoryOrchestrationService(NullLoggerFactory.Instance);
        var service = new VirtualClockOrchestrationService(memory, memory, clock);
        var functions = FunctionCatalog.Scan(assembly).Where(f => include?.Invoke(f) ?? true).ToList();
        var lf = NullLoggerFactory.Instance;
        var engine = new DurableEngine(service, memory, functions, provider, new JsonDataConverter(AutotierJson.Options), lf, clock);
        await engine.StartAsync();
        return new FakeClockDurable(engine, service, provider);
    }

    public Task AdvanceAsync(TimeSpan by) => service.AdvanceAsync(by);

    /// <summary>Raises a ticket-style event and returns once the orchestration has acted on it.</summary>
    public Task RaiseAsync(string instanceId, string eventName, object payload) =>
        service.RaiseAndSettleAsync(instanceId, () => Client.RaiseEventAsync(instanceId, eventName, payload));

    public Task SettledAsync() => service.SettledAsync();

    /// <summary>An instance's history as its latest episode committed it.</summary>
    public IReadOnlyList<DurableTask.Core.History.HistoryEvent> History(string instanceId) =>
        service.HistoryOf(instanceId) ?? throw new InvalidOperationException($"no history for {instanceId}");

    /// <summary>Starts an orchestration and returns once its first steps are done (it waits on a timer or an event, or finished).</summary>
    public Task StartAndSettleAsync(string name, string instanceId, object input) =>
        service.RaiseAndSettleAsync(instanceId, () => Client.ScheduleNewOrchestrationInstanceAsync(name, input, new Microsoft.DurableTask.StartOrchestrationOptions(instanceId)));

    /// <summary>Waits (in real time, bounded) until the instance is running, or has already finished.</summary>
    public async Task<OrchestrationMetadata> WaitForStartAsync(string instanceId, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await Client.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs: true, cts.Token);
    }

    /// <summary>Waits until the orchestration has created <paramref name="count"/> timers that wait on the clock.</summary>
    public async Task WaitForHeldTimersAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (HeldTimers < count) await Task.Delay(10, cts.Token);
    }

    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await engine.DisposeAsync();
        await services.DisposeAsync();
    }
}
