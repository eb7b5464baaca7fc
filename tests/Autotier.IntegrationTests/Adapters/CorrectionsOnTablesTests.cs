using Autotier.Adapters.Tables;
using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Adapters;

[Collection(AzuriteFixture.Collection)]
public sealed class CorrectionsOnTablesTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private async Task<TableClient> TableAsync(string name)
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table(name));
        await table.CreateIfNotExistsAsync();
        return table;
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_updates_of_one_ticket_lose_nothing()
    {
        var store = new TableTicketStore(await TableAsync("tickets"));
        var created = await store.CreateAsync(
            new NewTicket("demo", new Requester(null, "sam@demo.example"), "Mouse", "It stopped.", null, Channel.Api)
            {
                Classification = new TicketClassification(Categories.PrinterPeripheral, Priorities.P3, 0.8, Routes.Auto, 1, []),
            },
            Now, default);
        var id = created.Ticket.TicketId;
        Assert.Equal(Stage.Classified, created.Ticket.Stage);

        // Ten writers at once, each adding its own participant: the ETag guard makes each one retry
        // on the other's version instead of overwriting it.
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => store.UpdateAsync(
            id, t => t with { Participants = [.. t.Participants ?? [], $"p{i}@demo.example"] }, default)));

        var read = await store.GetAsync(id, default);
        Assert.Equal(10, read!.Participants!.Count);
        Assert.Equal(Categories.PrinterPeripheral, read.Classification!.Category);
        Assert.Null(await store.UpdateAsync("T-999999", t => t, default));
    }

    [Fact(Timeout = 60_000)]
    public async Task Corrections_are_listed_per_client_in_order_and_a_repeat_write_is_stored_once()
    {
        var store = new TableCorrectionStore(await TableAsync("corrections"));
        CorrectionRecord Row(string client, string ticket, int seq, int minutes) => new(
            client, ticket, seq, Now.AddMinutes(minutes), "alex", "Mouse", "It stopped.",
            Categories.PrinterPeripheral, Categories.Engineering, Priorities.P3, Priorities.P3);

        await store.RecordAsync(Row("demo", "T-1002", 1, 5), default);
        await store.RecordAsync(Row("demo", "T-1001", 1, 1), default);
        await store.RecordAsync(Row("demo", "T-1001", 1, 1), default);
        await store.RecordAsync(Row("other", "T-1003", 1, 2), default);

        var rows = await store.ListAsync("demo", default);
        Assert.Equal(["T-1001", "T-1002"], rows.Select(r => r.TicketId));
        Assert.Equal(Row("demo", "T-1001", 1, 1), rows[0]);
        Assert.True(rows[0].Misroute);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_long_ticket_corrected_again_and_again_still_stores_every_correction()
    {
        var tickets = new TableTicketStore(await TableAsync("tickets"));
        var corrections = new TableCorrectionStore(await TableAsync("corrections"));
        var useCase = new Autotier.Application.Tickets.TicketCorrections(
            tickets, corrections, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Autotier.Application.Tickets.TicketCorrections>.Instance);
        var created = await tickets.CreateAsync(
            new NewTicket("demo", new Requester(null, "sam@demo.example"), "Long", new string('x', 20_000), null, Channel.Api)
            {
                Classification = new TicketClassification(Categories.SoftwareError, Priorities.P3, 0.7, Routes.Auto, 1, []),
            },
            Now, default);
        var id = created.Ticket.TicketId;

        // Eight corrections with the longest note allowed: kept whole on the ticket they would pass
        // Table Storage's 64 KiB property limit and every later write would fail.
        for (var i = 0; i < 8; i++)
        {
            var body = System.Text.Json.JsonSerializer.SerializeToElement(new
            {
                type = "reclassified", by = "alex", priority = i % 2 == 0 ? "P2" : "P3", note = new string((char)('a' + i), 4000),
            });
            Assert.IsType<Autotier.Application.Tickets.CorrectionResult.Accepted>(await useCase.ReclassifyAsync(id, body, default));
        }

        var ticket = await tickets.GetAsync(id, default);
        Assert.Equal(8, ticket!.CorrectionCount);
        Assert.Equal(Ticket.MaxCorrectionsKept, ticket.Corrections!.Count);
        Assert.Equal(new string('h', 4000), ticket.Corrections[^1].Note);
        Assert.Equal(8, (await corrections.ListAsync("demo", default)).Count(c => c.TicketId == id));
        Assert.Equal(8, (await tickets.GetTimelineAsync(id, default)).Count(l => l.Step.StartsWith("reclassified-", StringComparison.Ordinal)));
    }
}
