using System.Collections.Concurrent;
using Autotier.Application.Ports;
using Autotier.Domain.Assistant;

namespace Autotier.TestSupport.Fakes;

/// <summary>The assistant's usage ledger in memory: the same contract as a table (one row per client, day and key).</summary>
public sealed class InMemoryAssistantUsage : IAssistantUsage
{
    private readonly ConcurrentDictionary<(string Client, string Day, string Key), AssistantUsage> rows = new();
    private readonly ConcurrentQueue<string> reasons = new();

    /// <summary>Each record's reason in order, "answered" for an answer: what the tests compare.</summary>
    public IReadOnlyList<string> Reasons => [.. reasons];

    public IReadOnlyCollection<AssistantUsage> Rows => [.. rows.Values];

    public Task<long> TokensOnAsync(string clientId, string day, CancellationToken cancellationToken) =>
        Task.FromResult(rows.Values.Where(r => r.ClientId == clientId && r.Day == day).Sum(r => (long)r.Tokens));

    public Task<AssistantTotals> TotalsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var first = AssistantUses.DayOf(since);
        var last = AssistantUses.DayOf(until.AddTicks(-1));
        var rowsIn = rows.Values
            .Where(r => r.ClientId == clientId && string.CompareOrdinal(r.Day, first) >= 0 && string.CompareOrdinal(r.Day, last) <= 0)
            .ToArray();
        return Task.FromResult(new AssistantTotals(rowsIn.Sum(r => (long)r.Calls), rowsIn.Sum(r => (long)r.Tokens), rowsIn.LongCount(r => r.Fallback)));
    }

    public Task RecordAsync(AssistantUsage usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usage);
        rows[(usage.ClientId, usage.Day, usage.Key)] = usage;
        reasons.Enqueue(usage.Reason ?? "answered");
        return Task.CompletedTask;
    }
}
