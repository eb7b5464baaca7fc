using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;

namespace Autotier.UnitTests.Application.Alerts;

/// <summary>The delivery log in memory, with the table adapter's contract (tested on Azurite).</summary>
internal sealed class InMemoryAlertDeliveryLog : IAlertDeliveryLog
{
    private readonly ConcurrentDictionary<(string, string), AlertOutcome> outcomes = new();
    private readonly ConcurrentDictionary<(string, string, AlertChannel), DateTimeOffset> delivered = new();

    public ConcurrentQueue<AlertDeliveryFailure> Failures { get; } = new();

    public IReadOnlyDictionary<(string TicketId, string Key), AlertOutcome> Outcomes => outcomes;

    public Task<AlertOutcome?> OutcomeOfAsync(string ticketId, string key, CancellationToken cancellationToken) =>
        Task.FromResult(outcomes.TryGetValue((ticketId, key), out var o) ? o : (AlertOutcome?)null);

    public Task RecordOutcomeAsync(AlertFacts alert, Audience audience, AlertOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        outcomes[(alert.TicketId, alert.Key)] = outcome;
        return Task.CompletedTask;
    }

    public Task<bool> DeliveredAsync(string ticketId, string key, AlertChannel channel, CancellationToken cancellationToken) =>
        Task.FromResult(delivered.ContainsKey((ticketId, key, channel)));

    public Task RecordDeliveredAsync(string ticketId, string key, AlertChannel channel, Audience audience, DateTimeOffset at, CancellationToken cancellationToken)
    {
        delivered[(ticketId, key, channel)] = at;
        return Task.CompletedTask;
    }

    public Task<int> RecordFailedAsync(AlertDeliveryFailure failure, CancellationToken cancellationToken)
    {
        Failures.Enqueue(failure);
        return Task.FromResult(Failures.Count(f => (f.TicketId, f.Key, f.Channel) == (failure.TicketId, failure.Key, failure.Channel)));
    }

    public Task<IReadOnlyList<AlertDeliveryRecord>> ForTicketAsync(string ticketId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AlertDeliveryRecord>>([]);
}

internal sealed class InMemoryDigestStore : IAlertDigestStore
{
    private readonly ConcurrentDictionary<Audience, AlertDigestState> states = new();

    public Task<T> UpdateAsync<T>(Audience audience, Func<AlertDigestState, (AlertDigestState State, T Result)> change, CancellationToken cancellationToken)
    {
        lock (states)
        {
            var (state, result) = change(states.GetValueOrDefault(audience, AlertDigestState.Empty));
            states[audience] = state;
            return Task.FromResult(result);
        }
    }
}

/// <summary>Records each post with the clock's time; fails while <see cref="Failing"/> is set.</summary>
internal sealed class RecordingWebhook(TimeProvider time) : IChatWebhook
{
    public ConcurrentQueue<(Uri Url, JsonObject Message, DateTimeOffset At)> Posts { get; } = new();

    public bool Failing { get; set; }

    public Task PostAsync(Uri url, JsonObject message, CancellationToken cancellationToken)
    {
        if (Failing) throw new ChatWebhookException("the webhook answered HTTP 502") { Status = 502 };
        Posts.Enqueue((url, message, time.GetUtcNow()));
        return Task.CompletedTask;
    }
}
