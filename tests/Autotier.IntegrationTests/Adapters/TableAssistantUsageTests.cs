using Autotier.Adapters.Tables;
using Autotier.Application.Ports;
using Autotier.Domain.Assistant;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Adapters;

/// <summary>The assistant's usage ledger on Azurite: the budget every instance reads.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TableAssistantUsageTests(AzuriteFixture azurite)
{
    private async Task<TableAssistantUsage> LedgerAsync()
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table("assistantusage"));
        await table.CreateIfNotExistsAsync();
        return new TableAssistantUsage(table);
    }

    private static AssistantUsage Use(string day, string key, int tokens, string? reason = null, string client = "demo") =>
        new(client, day, key, AssistantUse.Triage, reason is "budget" or "breaker" ? 0 : 1, tokens, reason is not null, reason);

    [Fact(Timeout = 60_000)]
    public async Task Sums_a_clients_day_counting_a_retried_key_once()
    {
        var ledger = await LedgerAsync();
        await ledger.RecordAsync(Use("2026-03-02", "T-1001.classify.triage", 400), default);
        await ledger.RecordAsync(Use("2026-03-02", "T-1001.classify.triage", 450), default);
        await ledger.RecordAsync(Use("2026-03-02", "T-1002/x#?.escalate.briefing", 100), default);
        await ledger.RecordAsync(Use("2026-03-02", "T-1003.classify.triage", 0, "budget"), default);
        await ledger.RecordAsync(Use("2026-03-03", "T-1004.classify.triage", 999), default);
        await ledger.RecordAsync(Use("2026-03-02", "T-9.classify.triage", 777, client: "other"), default);

        Assert.Equal(550, await ledger.TokensOnAsync("demo", "2026-03-02", default));
        Assert.Equal(999, await ledger.TokensOnAsync("demo", "2026-03-03", default));
        Assert.Equal(0, await ledger.TokensOnAsync("demo", "2026-03-01", default));
        Assert.Equal(777, await ledger.TokensOnAsync("other", "2026-03-02", default));
    }

    [Fact(Timeout = 60_000)]
    public async Task Totals_cover_the_utc_days_a_range_touches()
    {
        var ledger = await LedgerAsync();
        await ledger.RecordAsync(Use("2026-04-01", "a.triage", 10), default);
        await ledger.RecordAsync(Use("2026-04-02", "b.triage", 20, "invalid"), default);
        await ledger.RecordAsync(Use("2026-04-02", "c.triage", 0, "breaker"), default);
        await ledger.RecordAsync(Use("2026-04-03", "d.triage", 40), default);

        var from = new DateTimeOffset(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(new AssistantTotals(2, 30, 2), await ledger.TotalsAsync("demo", from, new DateTimeOffset(2026, 4, 3, 0, 0, 0, TimeSpan.Zero), default));
        Assert.Equal(new AssistantTotals(3, 70, 2), await ledger.TotalsAsync("demo", from, new DateTimeOffset(2026, 4, 3, 0, 0, 1, TimeSpan.Zero), default));
    }
}
