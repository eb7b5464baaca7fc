using Autotier.Application.Ports;
using Autotier.Domain.Assistant;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// The assistant's usage, one row per use (<c>&lt;client&gt; / &lt;day&gt;|&lt;key&gt;</c>, as the TypeScript
/// TableAssistantUsage keyed it): a retried activity replaces its own row instead of counting twice,
/// every instance reads the same budget, and a day's or a range's usage is one bounded range read of
/// one partition. Rows hold counts and a reason word only, never a prompt or an answer.
/// </summary>
public sealed class TableAssistantUsage(TableClient table) : IAssistantUsage
{
    private static readonly string[] Counted = ["Calls", "Tokens", "Fallback"];

    public Task RecordAsync(AssistantUsage usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var row = new TableEntity(TableKeys.Escape(usage.ClientId), $"{usage.Day}|{TableKeys.Escape(usage.Key)}")
        {
            ["Use"] = usage.Use.WireName(),
            ["Calls"] = usage.Calls,
            ["Tokens"] = usage.Tokens,
            ["Fallback"] = usage.Fallback,
        };
        if (usage.Reason is not null) row["Reason"] = usage.Reason;
        return table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<long> TokensOnAsync(string clientId, string day, CancellationToken cancellationToken) =>
        (await SumAsync(clientId, day, day, cancellationToken)).Tokens;

    public Task<AssistantTotals> TotalsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        // Usage is kept by UTC day: the days the range touches.
        SumAsync(clientId, AssistantUses.DayOf(since), AssistantUses.DayOf(until.AddTicks(-1)), cancellationToken);

    private async Task<AssistantTotals> SumAsync(string clientId, string firstDay, string lastDay, CancellationToken cancellationToken)
    {
        // "|" is 0x7C and "}" 0x7D: every row key of a day sorts between "<day>|" and "<day>}".
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TableKeys.Escape(clientId)} and RowKey ge {firstDay + "|"} and RowKey lt {lastDay + "}"}");
        long calls = 0, tokens = 0, fallbacks = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: Counted, cancellationToken: cancellationToken))
        {
            calls += row.GetInt32("Calls") ?? 0;
            tokens += row.GetInt32("Tokens") ?? 0;
            if (row.GetBoolean("Fallback") == true) fallbacks++;
        }
        return new AssistantTotals(calls, tokens, fallbacks);
    }
}
