using System.Collections.Concurrent;
using Autotier.Application.Json;
using Autotier.LocalHost;
using Autotier.LocalHost.Durable;
using Autotier.LocalHost.Indexing;
using Autotier.TestSupport.Azurite;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.IntegrationTests.Durable;

public sealed record FlakyInput(string Key, int FailuresFirst);

public sealed record FlakyResult(int Attempts, string Answer);

/// <summary>An orchestration with every part the app relies on: an activity retried, an external event, a result.</summary>
public static class DurableProbeFunctions
{
    public const string Orchestrator = "it_probe";
    public const string Flaky = "it_flaky";
    public static readonly ConcurrentDictionary<string, int> Attempts = new();

    [Function(Orchestrator)]
    public static async Task<FlakyResult> Probe([OrchestrationTrigger] TaskOrchestrationContext context, FlakyInput input)
    {
        var attempts = await context.CallActivityAsync<int>(
            Flaky, input, TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromMilliseconds(200))));
        context.SetCustomStatus(new { waiting = "go" });
        var answer = await context.WaitForExternalEvent<string>("go");
        return new FlakyResult(attempts, answer);
    }

    [Function(Flaky)]
    public static int FlakyActivity([ActivityTrigger] FlakyInput input)
    {
        var attempt = Attempts.AddOrUpdate(input.Key, 1, (_, n) => n + 1);
        if (attempt <= input.FailuresFirst) throw new InvalidOperationException($"attempt {attempt} fails on purpose");
        return attempt;
    }
}

[Collection(AzuriteFixture.Collection)]
public sealed class DurableOnAzuriteTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>The engine on the Azure Storage provider, in a task hub of its own, running this file's functions.</summary>
    private async Task<DurableEngine> StartEngineAsync(string hub)
    {
        var service = AzureStorageDurable.Create(
            azurite.ConnectionString, new DurableHostOptions(hub, TimeSpan.FromMilliseconds(500)), NullLoggerFactory.Instance, "it-worker");
        await service.CreateIfNotExistsAsync();
        var functions = FunctionCatalog.Scan(typeof(DurableProbeFunctions).Assembly).Where(f => f.Name.StartsWith("it_", StringComparison.Ordinal));
        var engine = new DurableEngine(
            service, service, functions, new ServiceCollection().BuildServiceProvider(), new JsonDataConverter(AutotierJson.Options), NullLoggerFactory.Instance);
        await engine.StartAsync();
        return engine;
    }

    [Fact(Timeout = 120_000)]
    public async Task An_orchestration_runs_on_the_Azure_Storage_provider_from_start_to_purge()
    {
        var hub = AzuriteNames.Prefix();
        await using var engine = await StartEngineAsync(hub);
        using var cts = new CancellationTokenSource(Bound);
        var client = engine.Client;

        var id = await client.ScheduleNewOrchestrationInstanceAsync(
            DurableProbeFunctions.Orchestrator, new FlakyInput(hub, FailuresFirst: 2), new StartOrchestrationOptions($"probe-{hub}"), cts.Token);

        // The activity failed twice and was retried; the orchestration now waits for its event.
        while ((await client.GetInstanceAsync(id, cts.Token))?.SerializedCustomStatus is null) await Task.Delay(100, cts.Token);
        var waiting = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting!.RuntimeStatus);
        Assert.Equal(new FlakyInput(hub, 2), waiting.ReadInputAs<FlakyInput>());

        await client.RaiseEventAsync(id, "go", "now", cts.Token);
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new FlakyResult(3, "now"), done.ReadOutputAs<FlakyResult>());

        // The provider's own history: the two failures and the success are in it.
        var history = await client.GetOrchestrationHistoryAsync(id, cts.Token);
        Assert.Equal(2, history.OfType<global::DurableTask.Core.History.TaskFailedEvent>().Count());
        Assert.Single(history.OfType<global::DurableTask.Core.History.EventRaisedEvent>());

        var purge = await client.PurgeInstanceAsync(id, cancellation: cts.Token);
        Assert.Equal(1, purge.PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync(id, cts.Token));
    }

    [Fact(Timeout = 120_000)]
    public async Task Starting_an_instance_id_that_is_running_is_refused_and_queries_find_it()
    {
        var hub = AzuriteNames.Prefix();
        await using var engine = await StartEngineAsync(hub);
        using var cts = new CancellationTokenSource(Bound);
        var client = engine.Client;
        var options = new StartOrchestrationOptions($"once-{hub}");

        var id = await client.ScheduleNewOrchestrationInstanceAsync(DurableProbeFunctions.Orchestrator, new FlakyInput(hub, 0), options, cts.Token);
        await client.WaitForInstanceStartAsync(id, cancellation: cts.Token);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            client.ScheduleNewOrchestrationInstanceAsync(DurableProbeFunctions.Orchestrator, new FlakyInput(hub, 0), options, cts.Token));

        var running = new List<OrchestrationMetadata>();
        await foreach (var m in client.GetAllInstancesAsync(new OrchestrationQuery(Statuses: [OrchestrationRuntimeStatus.Running], InstanceIdPrefix: "once-")))
            running.Add(m);
        Assert.Contains(running, m => m.InstanceId == id);

        await client.TerminateInstanceAsync(id, new TerminateInstanceOptions("test over"), cts.Token);
        var ended = await client.WaitForInstanceCompletionAsync(id, cancellation: cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, ended.RuntimeStatus);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_suspended_instance_holds_its_event_until_resumed_and_queries_by_creation_time_find_it()
    {
        var hub = AzuriteNames.Prefix();
        await using var engine = await StartEngineAsync(hub);
        using var cts = new CancellationTokenSource(Bound);
        var client = engine.Client;
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        var id = await client.ScheduleNewOrchestrationInstanceAsync(DurableProbeFunctions.Orchestrator, new FlakyInput(hub, 0), cts.Token);
        while ((await client.GetInstanceAsync(id, cts.Token))?.SerializedCustomStatus is null) await Task.Delay(100, cts.Token);

        await client.SuspendInstanceAsync(id, "hold", cts.Token);
        while ((await client.GetInstanceAsync(id, cts.Token))!.RuntimeStatus != OrchestrationRuntimeStatus.Suspended) await Task.Delay(100, cts.Token);
        await client.RaiseEventAsync(id, "go", "later", cts.Token);
        await Task.Delay(1500, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await client.GetInstanceAsync(id, cts.Token))!.RuntimeStatus);

        await client.ResumeInstanceAsync(id, "go on", cts.Token);
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.Equal(new FlakyResult(1, "later"), done.ReadOutputAs<FlakyResult>());

        var created = new List<string>();
        await foreach (var m in client.GetAllInstancesAsync(new OrchestrationQuery(CreatedFrom: before, CreatedTo: DateTimeOffset.UtcNow.AddSeconds(5))))
            created.Add(m.InstanceId);
        Assert.Contains(id, created);
        var none = new List<string>();
        await foreach (var m in client.GetAllInstancesAsync(new OrchestrationQuery(CreatedTo: before)))
            none.Add(m.InstanceId);
        Assert.DoesNotContain(id, none);
    }
}
