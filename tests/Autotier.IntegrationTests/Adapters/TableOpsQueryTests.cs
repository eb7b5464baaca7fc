using Autotier.Adapters.Tables;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Adapters;

/// <summary>The ops page's bounded reads over the tickets table the ticket store writes.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TableOpsQueryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private async Task<(TableTicketStore Store, TableOpsQuery Query, TableClient Table)> TableAsync()
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table("opsq"));
        await table.CreateIfNotExistsAsync();
        return (new TableTicketStore(table), new TableOpsQuery(table), table);
    }

    private static NewTicket Input(string client, int i) =>
        new(client, new Requester("Sam", "sam@demo.example"), $"Ticket {i}", "body", null, Channel.Api);

    [Fact(Timeout = 60_000)]
    public async Task Pages_newest_first_across_a_power_of_ten_and_on_from_where_the_last_page_stopped()
    {
        var (store, query, table) = await TableAsync();
        // The counter just below T-10000, so the newest tickets cross from four digits to five: a
        // string range read as one would put T-10000 between T-1000 and T-1001.
        await table.AddEntityAsync(new TableEntity("_counter", "ticket") { ["next"] = 8996L });
        var ids = new List<string>();
        for (var i = 0; i < 8; i++) ids.Add((await store.CreateAsync(Input("demo", i), Now, default)).Ticket.TicketId);
        await store.AppendTimelineAsync("T-10001", new TimelineEntry("received", Now, Stage.Received, "filed"), default);
        Assert.Equal("T-9996", ids[0]);
        Assert.Equal("T-10003", ids[^1]);

        var first = await query.NewestAsync(null, 5, 5, _ => true, default);
        Assert.Equal(["T-10003", "T-10002", "T-10001", "T-10000", "T-9999"], first.Tickets.Select(t => t.TicketId));
        Assert.Equal("T-9999", first.Next);
        Assert.Equal("Ticket 5", first.Tickets[2].Subject);

        var second = await query.NewestAsync(first.Next, 3, 3, _ => true, default);
        Assert.Equal(["T-9998", "T-9997", "T-9996"], second.Tickets.Select(t => t.TicketId));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_filter_looks_through_at_most_its_scan_limit_and_says_where_to_go_on()
    {
        var (store, query, _) = await TableAsync();
        for (var i = 0; i < 30; i++) await store.CreateAsync(Input(i % 3 == 0 ? "acme" : "demo", i), Now, default);

        var acme = await query.NewestAsync(null, 100, 12, t => t.ClientId == "acme", default);

        // T-1030 is the newest; the twelve newest numbers hold four of acme's (every third ticket).
        Assert.Equal(["T-1028", "T-1025", "T-1022", "T-1019"], acme.Tickets.Select(t => t.TicketId));
        Assert.Equal("T-1019", acme.Next);
        var all = await query.NewestAsync(null, 100, 500, t => t.ClientId == "acme", default);
        Assert.Equal(10, all.Tickets.Count);
        Assert.Null(all.Next);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_empty_table_lists_nothing_and_many_reads_skip_what_is_not_stored()
    {
        var (store, query, _) = await TableAsync();
        var none = await query.NewestAsync(null, 10, 10, _ => true, default);
        Assert.Empty(none.Tickets);
        Assert.Null(none.Next);
        var a = (await store.CreateAsync(Input("demo", 1), Now, default)).Ticket.TicketId;
        var b = (await store.CreateAsync(Input("demo", 2), Now, default)).Ticket.TicketId;

        var many = await query.GetManyAsync([a, "T-99999", b, "not-an-id", a], default);

        Assert.Equal([a, b], many.Select(t => t.TicketId).Order(StringComparer.Ordinal));
    }
}
