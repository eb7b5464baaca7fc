using Autotier.Adapters.Tables;
using Autotier.Domain.Classification;
using Autotier.Domain.Resolutions;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Adapters;

[Collection(AzuriteFixture.Collection)]
public sealed class TableResolutionLogTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 60_000)]
    public async Task Records_are_one_per_ticket_and_outcome_and_solved_ones_get_a_newest_first_index_row()
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table("resolutions"));
        var log = new TableResolutionLog(table);
        await log.EnsureCreatedAsync(default);
        var escalated = new ResolutionRecord("T-1001", "demo", Categories.SoftwareError, Outcomes.Escalated, "Sage export error", "needs an engineer", At);

        await log.RecordAsync(escalated, default);
        await log.RecordAsync(escalated with { Summary = "recorded again" }, default);
        await log.RecordAsync(escalated with { Outcome = Outcomes.ResolvedByEngineer, Summary = "reinstalled", At = At.AddHours(1) }, default);
        await log.RecordAsync(escalated with { TicketId = "T-1002", ClientId = "globex" }, default);

        var demo = await log.ForClientAsync("demo", default);
        Assert.Equal([(Outcomes.Escalated, "recorded again"), (Outcomes.ResolvedByEngineer, "reinstalled")],
            demo.Select(r => (r.Outcome, r.Summary)).Order());
        Assert.Equal(escalated with { Summary = "recorded again" }, demo.Single(r => r.Outcome == Outcomes.Escalated));
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>("PartitionKey eq 'demo'")) rows.Add(row);
        var index = Assert.Single(rows, r => r.RowKey.StartsWith("~solved|", StringComparison.Ordinal));
        Assert.Equal($"~solved|{9_000_000_000_000_000 - At.AddHours(1).ToUnixTimeMilliseconds():D16}|T-1001|resolved_by_engineer", index.RowKey);
    }

    [Fact(Timeout = 60_000)]
    public async Task Recent_solved_reads_the_newest_solved_records_of_one_client_only_and_at_most_as_many_as_asked()
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table("resolutions"));
        var log = new TableResolutionLog(table);
        await log.EnsureCreatedAsync(default);
        for (var i = 0; i < 5; i++)
            await log.RecordAsync(new ResolutionRecord($"T-20{i:D2}", "acme", Categories.PasswordReset, Outcomes.ResolvedConfirmed, $"Locked out {i}", "reset", At.AddMinutes(i)), default);
        await log.RecordAsync(new ResolutionRecord("T-2090", "acme", Categories.PasswordReset, Outcomes.Escalated, "Escalated one", "needs a person", At.AddHours(2)), default);
        await log.RecordAsync(new ResolutionRecord("T-2091", "acme-other", Categories.PasswordReset, Outcomes.ResolvedByEngineer, "Other client", "fixed", At.AddHours(3)), default);

        var recent = await log.RecentSolvedAsync("acme", 3, default);

        Assert.Equal(["T-2004", "T-2003", "T-2002"], recent.Select(r => r.TicketId));
        Assert.Empty(await log.RecentSolvedAsync("acme", 0, default));
        Assert.Equal(5, (await log.RecentSolvedAsync("acme", 500, default)).Count);
    }
}
