using System.Text;
using System.Text.Json;
using Autotier.Adapters.Queues;
using Autotier.Application.Lifecycle;
using Autotier.TestSupport;
using Autotier.TestSupport.Azurite;
using Autotier.TestSupport.Fakes;
using Azure.Storage.Queues;
using Xunit;

namespace Autotier.IntegrationTests.Alerts;

/// <summary>
/// tests/integration/cli/intakeCommands.test.ts on Azurite: the hourly poison watch tells tier 2 at
/// most once an hour per queue, and <c>autotier intake replay</c> puts every message back unchanged.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class PoisonWatchTests(AzuriteFixture azurite)
{
    private QueueServiceClient Raw => new(azurite.ConnectionString, StoragePoisonQueues.ClientOptions());

    private static string Base64Json(object value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync(
        new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString, ["AUTOTIER_TABLE_PREFIX"] = AzuriteNames.Prefix() }, null, args);

    [Fact(Timeout = 60_000)]
    public async Task Intake_alerts_tier_two_at_most_once_an_hour_while_messages_wait_then_replay_puts_them_back()
    {
        var name = AzuriteNames.Queue("intake");
        var poison = Raw.GetQueueClient(name + "-poison");
        await poison.CreateAsync();
        var notifier = new RecordingNotifier();
        var watch = new PoisonWatch(new StoragePoisonQueues(Raw), notifier, new InMemoryTokenStore());
        var now = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        Assert.Null(await watch.WatchAsync(name, PoisonHolds.Intake, now, default, defaultQueue: true));

        string[] bodies = [.. Enumerable.Range(1, 3).Select(n => Base64Json(new { source = "generic", eventId = $"e{n}" }))];
        foreach (var b in bodies) await poison.SendMessageAsync(b);
        var alert = await watch.WatchAsync(name, PoisonHolds.Intake, now, default, defaultQueue: true);
        Assert.Matches("^3 intake deliveries failed five times .* autotier intake replay$", alert);
        Assert.Null(await watch.WatchAsync(name, PoisonHolds.Intake, now.AddMinutes(5), default, defaultQueue: true));
        Assert.Equal([(2, "intake_poison", "_intake")], notifier.Alerts.Select(a => (a.Tier, a.Kind, a.TicketId)));
        // The next hour, while they still wait: told again.
        Assert.NotNull(await watch.WatchAsync(name, PoisonHolds.Intake, now.AddHours(1), default, defaultQueue: true));

        var two = await Run("intake", "replay", "--queue", name, "--max", "2");
        Assert.Equal(0, two.Code);
        Assert.Equal($"{{\"queue\":\"{name}\",\"replayed\":2}}", two.Out.Trim());
        Assert.Equal(1, (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(0, (await Run("intake", "replay", "--queue", name)).Code);
        Assert.Empty((await poison.PeekMessagesAsync(32)).Value);
        var back = (await Raw.GetQueueClient(name).ReceiveMessagesAsync(32)).Value.Select(m => m.MessageText).Order(StringComparer.Ordinal);
        Assert.Equal(bodies.Order(StringComparer.Ordinal), back); // each message back once, unchanged
    }

    [Fact(Timeout = 60_000)]
    public async Task Alert_queues_are_watched_too_with_the_replay_command_that_names_the_queue()
    {
        var name = AzuriteNames.Queue("alerts") + "oncall";
        var poison = Raw.GetQueueClient(name + "-poison");
        await poison.CreateAsync();
        await poison.SendMessageAsync(Base64Json(new { key = "p1-page-1" }));
        var notifier = new RecordingNotifier();
        var watch = new PoisonWatch(new StoragePoisonQueues(Raw), notifier, new InMemoryTokenStore());
        var now = new DateTimeOffset(2026, 3, 2, 10, 5, 0, TimeSpan.Zero);

        var raised = await watch.WatchAllAsync([AzuriteNames.Queue("quiet")], [name], now, default);

        Assert.Equal(
            [$"1 alert could not be delivered after five tries and waits in {name}-poison. The logs (autotier.alertDeliveryFailed) and the Events table (alert_delivery_failed) name the failing channel; fix it in AUTOTIER_NOTIFY, then run: autotier intake replay --queue {name}"],
            raised);
        Assert.Empty(await watch.WatchAllAsync([], [name], now, default));
        Assert.Equal([(2, "alert_poison", "_alerts")], notifier.Alerts.Select(a => (a.Tier, a.Kind, a.TicketId)));
        Assert.Equal(0, (await Run("intake", "replay", "--queue", name)).Code);
        Assert.Single((await Raw.GetQueueClient(name).PeekMessagesAsync()).Value);
    }

    [Fact(Timeout = 60_000)]
    public async Task Replay_refuses_a_bad_max_and_a_queue_never_poisoned_replays_nothing()
    {
        var bad = await Run("intake", "replay", "--max", "0");
        Assert.Equal(2, bad.Code);
        Assert.Equal("autotier: --max must be a whole number of at least 1", Assert.Single(bad.Error));
        var none = await Run("intake", "replay", "--queue", AzuriteNames.Queue("never"));
        Assert.Equal(0, none.Code);
        Assert.Contains("\"replayed\":0", none.Out, StringComparison.Ordinal);
    }
}
