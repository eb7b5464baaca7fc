using Autotier.Application.Json;
using Autotier.LocalHost.Durable;
using Autotier.LocalHost.Indexing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.UnitTests.Durable;

/// <summary>An activity that takes a moment and honours its cancellation token, as activities with I/O do.</summary>
public static class SlowActivityFunctions
{
    public const string Orchestrator = "test_slowWork";
    public const string Activity = "test_slowActivity";
    public static readonly TaskCompletionSource Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public static readonly TaskCompletionSource<string> Outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Function(Orchestrator)]
    public static Task<string> Run([OrchestrationTrigger] TaskOrchestrationContext context, RaceInput input) =>
        context.CallActivityAsync<string>(Activity, "work");

    [Function(Activity)]
    public static async Task<string> Slow([ActivityTrigger] string work, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            Outcome.TrySetResult("finished");
            return "done";
        }
        catch (OperationCanceledException)
        {
            Outcome.TrySetResult("cancelled");
            throw;
        }
    }
}

public sealed class ShutdownTests
{
    /// <summary>
    /// Stopping the engine lets work in hand finish before cancelling it (the Functions host drains
    /// on shutdown); cancelling first recorded the activity as failed and spent a retry.
    /// </summary>
    [Fact(Timeout = 30_000)]
    public async Task Stopping_lets_an_activity_in_hand_finish_instead_of_cancelling_it()
    {
        var memory = new InMemoryOrchestrationService(NullLoggerFactory.Instance);
        await using var services = new ServiceCollection().BuildServiceProvider();
        var functions = FunctionCatalog.Scan(typeof(SlowActivityFunctions).Assembly).Where(f => f.Name.StartsWith("test_slow", StringComparison.Ordinal));
        var engine = new DurableEngine(memory, memory, functions, services, new JsonDataConverter(AutotierJson.Options), NullLoggerFactory.Instance);
        await engine.StartAsync();
        await engine.Client.ScheduleNewOrchestrationInstanceAsync(SlowActivityFunctions.Orchestrator, new RaceInput(TimeSpan.Zero));
        await SlowActivityFunctions.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await engine.StopAsync();
        await engine.DisposeAsync();

        Assert.Equal("finished", await SlowActivityFunctions.Outcome.Task.WaitAsync(TimeSpan.FromSeconds(20)));
    }
}
