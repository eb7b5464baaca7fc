using Autotier.LocalHost;
using Autotier.LocalHost.Indexing;
using Autotier.LocalHost.Queues;
using Autotier.TestSupport.Azurite;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.IntegrationTests.LocalHost;

/// <summary>The queue listener against a real Azurite, with the Functions host's semantics.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class QueueTriggerHostTests(AzuriteFixture azurite)
{
    // Retries at once (visibilityTimeout 0, as the host's default) and short empty-poll back-off,
    // so five attempts take well under a second.
    private static readonly QueueHostOptions Options = QueueHostOptions.Defaults with
    {
        VisibilityTimeout = TimeSpan.Zero,
        MaxPollingInterval = TimeSpan.FromMilliseconds(500),
    };

    [Fact(Timeout = 60000)]
    public async Task A_json_message_is_delivered_to_a_typed_parameter_and_deleted()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var running = await StartAsync("lhTyped", "LH_TYPED_QUEUE", timeout.Token);

        await running.Queue.SendMessageAsync("""{"orderId":"o-17","quantity":3}""", timeout.Token);

        await Eventually(() => Task.FromResult(running.Invocations.Count == 1), timeout.Token);
        Assert.Equal(new TestOrder("o-17", 3), Assert.Single(running.Invocations.Values));
        await Eventually(async () => await MessageCountAsync(running.Queue, timeout.Token) == 0, timeout.Token);
    }

    [Fact(Timeout = 60000)]
    public async Task A_function_that_always_throws_is_tried_five_times_then_the_message_goes_to_poison_intact()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var running = await StartAsync("lhAlwaysThrows", "LH_THROWS_QUEUE", timeout.Token);
        const string text = "plain text, kept as sent: ünïcødé & <tags>";

        await running.Queue.SendMessageAsync(text, timeout.Token);

        var poisoned = await running.WaitForPoisonAsync(timeout.Token);
        Assert.Equal(text, poisoned);
        Assert.Equal(5, running.Invocations.Count);
        Assert.All(running.Invocations.Values, v => Assert.Equal(text, v));
        Assert.Equal(0, await MessageCountAsync(running.Queue, timeout.Token));
    }

    [Fact(Timeout = 60000)]
    public async Task A_message_that_fails_once_is_retried_then_deleted()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var running = await StartAsync("lhFailsOnce", "LH_FAILS_ONCE_QUEUE", timeout.Token);

        await running.Queue.SendMessageAsync("retry me", timeout.Token);

        await Eventually(() => Task.FromResult(running.Invocations.Count == 2), timeout.Token);
        await Eventually(async () => await MessageCountAsync(running.Queue, timeout.Token) == 0, timeout.Token);
        Assert.Equal(["retry me", "retry me"], running.Invocations.Values);
        Assert.False(await running.Poison.ExistsAsync(timeout.Token), "nothing was poisoned");
    }

    [Fact(Timeout = 60000)]
    public async Task A_message_that_is_not_json_for_the_parameter_ends_in_poison_without_an_invocation()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var running = await StartAsync("lhMalformed", "LH_MALFORMED_QUEUE", timeout.Token);
        const string text = """{"orderId": "o-1", "quantity": """;

        await running.Queue.SendMessageAsync(text, timeout.Token);

        Assert.Equal(text, await running.WaitForPoisonAsync(timeout.Token));
        Assert.Equal(0, running.Invocations.Count);
    }

    [Fact(Timeout = 60000)]
    public async Task A_message_that_is_not_base64_goes_to_poison_and_the_queue_keeps_being_polled()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var running = await StartAsync("lhMalformed", "LH_MALFORMED_QUEUE", timeout.Token);
        // Sent by something that does not encode (a script, another SDK's default): not base64.
        var plain = new QueueClient(azurite.ConnectionString, running.Queue.Name);
        await plain.SendMessageAsync("not base64 {!}", timeout.Token);

        Assert.Equal("not base64 {!}", await running.WaitForPoisonAsync(timeout.Token));
        Assert.Equal(0, running.Invocations.Count);

        // The listener lives on: a good message after it is still delivered.
        await running.Queue.SendMessageAsync("{\"orderId\": \"o-2\", \"quantity\": 1}", timeout.Token);
        await Eventually(() => Task.FromResult(running.Invocations.Count == 1), timeout.Token);
    }

    [Fact(Timeout = 60000)]
    public async Task Stopping_lets_an_invocation_in_flight_finish_and_settles_its_message()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var running = await StartAsync("lhSlow", "LH_SLOW_QUEUE", timeout.Token);
        await running.Queue.SendMessageAsync("job", timeout.Token);
        await Eventually(() => Task.FromResult(running.Invocations.Count == 1), timeout.Token);

        await running.Host.StopAsync(timeout.Token);

        Assert.Equal(["started job", "finished job"], running.Invocations.Values);
        Assert.Equal(0, await MessageCountAsync(running.Queue, timeout.Token));
    }

    private async Task<Running> StartAsync(string functionName, string queueSetting, CancellationToken cancellationToken)
    {
        var queueName = AzuriteNames.Queue(functionName);
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [queueSetting] = queueName }).Build();
        var invocations = new Invocations();
        var services = new ServiceCollection().AddSingleton(invocations).BuildServiceProvider();
        var functions = FunctionCatalog.Scan(typeof(TypedQueueFunction).Assembly).Where(f => f.Name == functionName).ToList();
        Assert.Single(functions);
        var client = new QueueServiceClient(azurite.ConnectionString, QueueTriggerHost.CreateClientOptions());
        var host = new QueueTriggerHost(functions, client, services, durable: null, Options, settings, TimeProvider.System, NullLogger<QueueTriggerHost>.Instance);
        await host.StartAsync(cancellationToken);
        return new Running(host, services, invocations, client.GetQueueClient(queueName), client.GetQueueClient(queueName + "-poison"));
    }

    /// <summary>Messages in a queue, invisible ones (leased to a running function) included.</summary>
    private static async Task<int> MessageCountAsync(QueueClient queue, CancellationToken cancellationToken) =>
        (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;

    private static async Task Eventually(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition()) await Task.Delay(50, cancellationToken);
    }

    private sealed record Running(QueueTriggerHost Host, ServiceProvider Services, Invocations Invocations, QueueClient Queue, QueueClient Poison) : IAsyncDisposable
    {
        /// <summary>The text of the one message in the poison queue, once it is there.</summary>
        public async Task<string> WaitForPoisonAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                if (await Poison.ExistsAsync(cancellationToken))
                {
                    var peeked = (await Poison.PeekMessagesAsync(maxMessages: 32, cancellationToken)).Value;
                    if (peeked.Length > 0) return Assert.Single(peeked).Body.ToString();
                }
                await Task.Delay(50, cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Host.StopAsync(stop.Token);
            Host.Dispose();
            await Services.DisposeAsync();
        }
    }
}
