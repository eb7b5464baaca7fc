using Autotier.LocalHost.Indexing;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;

namespace Autotier.LocalHost.Durable;

/// <summary>
/// Runs the app's orchestrator and activity functions on the Durable Task Framework itself: a
/// <see cref="TaskHubWorker"/> over whatever <see cref="IOrchestrationService"/> it is given (the
/// Azure Storage provider on Azurite in the local host, the SDK's in-memory service in unit tests),
/// with each function wrapped by the SDK's own shims (<see cref="DurableTaskShimFactory"/>, made for
/// "alternate .NET-based durable task runtimes"): the same shims the Functions worker uses, so
/// replay, timers (split at <see cref="DurableTaskWorkerOptions.MaximumTimerInterval"/>) and
/// serialization behave as on Azure.
/// </summary>
public sealed class DurableEngine : IAsyncDisposable
{
    private readonly TaskHubWorker worker;
    private readonly CancellationTokenSource stopping = new();

    /// <summary>How long activities in hand may run on at shutdown before their token is cancelled.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);
    private bool started;

    public DurableEngine(
        IOrchestrationService service,
        IOrchestrationServiceClient serviceClient,
        IEnumerable<FunctionEntry> functions,
        IServiceProvider services,
        DataConverter dataConverter,
        ILoggerFactory loggerFactory,
        TimeProvider? virtualClock = null)
    {
        ArgumentNullException.ThrowIfNull(functions);
        Client = new LocalDurableTaskClient("local", serviceClient, dataConverter);
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = dataConverter }, loggerFactory);
        worker = new TaskHubWorker(service, new ByNameObjectManager<TaskOrchestration>(), new ByNameObjectManager<TaskActivity>(), loggerFactory);
        // Exceptions reach the orchestrator as TaskFailedException with their type and message, as in the worker.
        worker.ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails;
        if (virtualClock is not null) worker.AddOrchestrationDispatcherMiddleware(VirtualTime.StampNow(virtualClock));
        foreach (var function in functions)
        {
            switch (function.Kind)
            {
                case TriggerKind.Orchestration:
                    worker.AddTaskOrchestrations(new NamedCreator<TaskOrchestration>(
                        function.Name,
                        () => shims.CreateOrchestration(new TaskName(function.Name), new FunctionOrchestrator(function, services))));
                    break;
                case TriggerKind.Activity:
                    worker.AddTaskActivities(new NamedCreator<TaskActivity>(
                        function.Name,
                        () => shims.CreateActivity(new TaskName(function.Name), new FunctionActivity(function, services, Client, stopping.Token))));
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The client that <c>[DurableClient]</c> parameters receive.</summary>
    public LocalDurableTaskClient Client { get; }

    public async Task StartAsync()
    {
        await worker.StartAsync();
        started = true;
    }

    public async Task StopAsync(bool force = false)
    {
        if (!started) return;
        started = false;
        // Work in hand finishes first (as the Functions host drains on shutdown); only then are
        // activities still running told to stop. Cancelling first would record them as failed.
        var stop = worker.StopAsync(force);
        if (await Task.WhenAny(stop, Task.Delay(ShutdownGrace)) != stop) await stopping.CancelAsync();
        await stop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(force: true);
        worker.Dispose();
        stopping.Dispose();
    }
}

/// <summary>The virtual clock's hook into orchestration episodes.</summary>
public static class VirtualTime
{
    /// <summary>
    /// Dispatcher middleware: stamps the episode's <see cref="OrchestratorStartedEvent"/> with the
    /// clock's now, so <c>context.CurrentUtcDateTime</c>, the SDK's timer splitting and the app's
    /// <see cref="TimeProvider"/> move together.
    /// </summary>
    public static Func<DurableTask.Core.Middleware.DispatchMiddlewareContext, Func<Task>, Task> StampNow(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return (context, next) =>
        {
            var state = context.GetProperty<OrchestrationRuntimeState>();
            if (state?.NewEvents.OfType<OrchestratorStartedEvent>().LastOrDefault() is { } episode)
                episode.Timestamp = clock.GetUtcNow().UtcDateTime;
            return next();
        };
    }
}
