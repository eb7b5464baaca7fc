using Autotier.Adapters.Tables;
using Autotier.Domain.Metrics;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Adapters;

/// <summary>The outcome log on Azurite: once per step, folded atomically, ranges read by key.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TableOutcomeLogTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private async Task<TableOutcomeLog> LogAsync(string? table = null)
    {
        var log = new TableOutcomeLog(new TableServiceClient(azurite.ConnectionString).GetTableClient(table ?? AzuriteNames.Table("outcomes")));
        await log.EnsureCreatedAsync(default);
        return log;
    }

    private static OutcomeEvent E(string client, string ticket, DateTimeOffset received, string step, string kind) => new(client, ticket, received, step, received.AddMinutes(5), kind);

    [Fact(Timeout = 60_000)]
    public async Task A_retried_step_counts_once_and_the_new_events_of_a_batch_still_fold()
    {
        var log = await LogAsync();
        var client = $"c{Guid.NewGuid():N}";
        var guide = E(client, "T-1", T0, "playbook-1", OutcomeKinds.Playbook) with { Result = "guide_sent", ArticleId = "kb-7" };

        Assert.Single(await log.RecordAsync([guide], default));
        var responded = E(client, "T-1", T0, "responded-playbook-1", OutcomeKinds.Responded) with { By = "automation", Via = "guide" };
        var again = await log.RecordAsync([guide, responded], default);

        Assert.Equal([responded], again);
        Assert.Empty(await log.RecordAsync([guide, responded], default));
        var summary = Assert.Single(await log.SummariesAsync(client, T0.AddDays(-1), T0.AddDays(1), default));
        Assert.Equal(("kb-7", "automation"), (summary.GuideArticleId, summary.FirstResponseBy));
        Assert.Equal(2, (await log.EventsAsync(client, "T-1", default)).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_steps_of_one_ticket_all_reach_its_summary()
    {
        var log = await LogAsync();
        var client = $"c{Guid.NewGuid():N}";

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            log.RecordAsync([E(client, "T-2", T0, $"escalation-{i}", OutcomeKinds.Escalated) with { Tier = 1 + (i % 3), Reason = "r", Cycle = 0 }], default)));

        var summary = Assert.Single(await log.SummariesAsync(client, T0, T0.AddSeconds(1), default));
        Assert.Equal(8, summary.Escalations.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Summaries_interruptions_and_deflections_are_read_by_range_and_counted_once()
    {
        var log = await LogAsync();
        var client = $"c{Guid.NewGuid():N}";
        for (var day = 0; day < 3; day++)
            await log.RecordAsync([E(client, $"T-{day}", T0.AddDays(day), "received", OutcomeKinds.Received) with { Channel = "api" }], default);
        var page = new Interruption(client, "T-0", "p1-page-1-1", T0.AddMinutes(1), "p1_page", 2) { Audience = "oncall" };
        await log.RecordInterruptionAsync(page, default);
        await log.RecordInterruptionAsync(page, default);
        await log.RecordSelfServiceDeflectionAsync(new SelfServiceDeflection(client, "visit-1|kb-1", T0), default);
        await log.RecordSelfServiceDeflectionAsync(new SelfServiceDeflection(client, "visit-1|kb-1", T0), default);

        Assert.Equal(["T-1", "T-2"], (await log.SummariesAsync(client, T0.AddDays(1), T0.AddDays(3), default)).Select(s => s.TicketId));
        Assert.Equal(page, Assert.Single(await log.InterruptionsAsync(client, T0, T0.AddHours(1), default)));
        Assert.Empty(await log.InterruptionsAsync(client, T0.AddHours(1), T0.AddHours(2), default));
        Assert.Equal(1, await log.SelfServiceDeflectionsAsync(client, T0, T0.AddDays(1), default));
    }

    [Fact(Timeout = 60_000)]
    public async Task Two_instances_writing_one_ticket_each_fold_into_what_the_other_wrote()
    {
        var table = AzuriteNames.Table("outcomes");
        var a = await LogAsync(table);
        var b = await LogAsync(table);
        var client = $"c{Guid.NewGuid():N}";

        await a.RecordAsync([E(client, "T-3", T0, "playbook-1", OutcomeKinds.Playbook) with { Result = "guide_sent", ArticleId = "kb-1" }], default);
        // B has never written this ticket: its add of the summary meets A's row (409), so it reads and folds.
        await b.RecordAsync([E(client, "T-3", T0, "rated-x", OutcomeKinds.Rated) with { Score = 5 }], default);
        // A's remembered version is stale now (412): it reads B's and folds into it.
        await a.RecordAsync([E(client, "T-3", T0, "closed", OutcomeKinds.Closed)], default);

        var summary = Assert.Single(await a.SummariesAsync(client, T0, T0.AddSeconds(1), default));
        Assert.Equal("kb-1", summary.GuideArticleId);
        Assert.Equal(5, summary.Rating!.Score);
        Assert.NotNull(summary.ClosedAt);
    }
}
