using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;

namespace Autotier.IntegrationTests.LocalHost;

// Small functions the local host tests run. Queue names and schedules come from app settings
// (%NAME%), as the app's own functions do, so every test points them at its own queue.

/// <summary>What the test functions saw, one instance per test (from that test's container).</summary>
public sealed class Invocations
{
    private readonly ConcurrentQueue<object?> _values = new();

    public IReadOnlyList<object?> Values => [.. _values];

    public int Count => _values.Count;

    public int Record(object? value)
    {
        _values.Enqueue(value);
        return _values.Count;
    }
}

public sealed record TestOrder(string OrderId, int Quantity);

public sealed class TypedQueueFunction(Invocations invocations)
{
    [Function("lhTyped")]
    public Task Run([QueueTrigger("%LH_TYPED_QUEUE%", Connection = "AzureWebJobsStorage")] TestOrder order, CancellationToken cancellationToken)
    {
        invocations.Record(order);
        return Task.CompletedTask;
    }
}

public sealed class AlwaysThrowsFunction(Invocations invocations)
{
    [Function("lhAlwaysThrows")]
    public void Run([QueueTrigger("%LH_THROWS_QUEUE%")] string text)
    {
        invocations.Record(text);
        throw new InvalidOperationException("this function always fails");
    }
}

public sealed class FailsOnceFunction(Invocations invocations)
{
    [Function("lhFailsOnce")]
    public async Task Run([QueueTrigger("%LH_FAILS_ONCE_QUEUE%")] BinaryData body)
    {
        await Task.Yield();
        if (invocations.Record(body.ToString()) == 1) throw new InvalidOperationException("first attempt fails");
    }
}

public sealed class MalformedFunction(Invocations invocations)
{
    [Function("lhMalformed")]
    public void Run([QueueTrigger("%LH_MALFORMED_QUEUE%")] TestOrder order) => invocations.Record(order);
}

public sealed class EveryMinuteTimerFunction(Invocations invocations)
{
    [Function("lhTimer")]
    public void Run([TimerTrigger("%LH_SCHEDULE%")] TimerInfo timer) => invocations.Record(timer);
}

public sealed class StartupTimerFunction(Invocations invocations)
{
    [Function("lhStartupTimer")]
    public void Run([TimerTrigger("0 0 3 * * *", RunOnStartup = true)] TimerInfo timer) => invocations.Record(timer);
}

public sealed class SlowQueueFunction(Invocations invocations)
{
    [Function("lhSlow")]
    public async Task Run([QueueTrigger("%LH_SLOW_QUEUE%")] string text)
    {
        invocations.Record("started " + text);
        // Deliberately ignores cancellation: the host must wait for it when it stops.
        await Task.Delay(TimeSpan.FromMilliseconds(700), CancellationToken.None);
        invocations.Record("finished " + text);
    }
}

public static class ThrowingHttpFunction
{
    [Function("lhThrows")]
    public static Microsoft.AspNetCore.Mvc.IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "throws")] Microsoft.AspNetCore.Http.HttpRequest request) =>
        throw new InvalidOperationException("secret detail: connection string AccountKey=abc");
}
