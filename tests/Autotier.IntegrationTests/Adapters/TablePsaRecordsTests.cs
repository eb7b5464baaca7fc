using Autotier.Adapters.Tables;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Xunit;

namespace Autotier.IntegrationTests.Adapters;

/// <summary>The PSA's records on Azurite: ticket links share the ticket store's external-id rows; seen notes claim and release.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TablePsaRecordsTests(AzuriteFixture azurite)
{
    private async Task<TableClient> TableAsync(string name)
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table(name));
        await table.CreateIfNotExistsAsync();
        return table;
    }

    [Fact(Timeout = 60_000)]
    public async Task A_psa_ticket_finds_the_ticket_it_came_as_and_a_linked_psa_ticket_makes_no_second_ticket()
    {
        var table = await TableAsync("psalinks");
        var store = new TableTicketStore(table);
        var links = new TableTicketLinks(table);
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

        var fromPsa = await store.CreateAsync(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "Printer", "Jammed", "connectwise:601", Channel.ConnectWise), now, default);
        Assert.Equal(fromPsa.Ticket.TicketId, await links.FindAsync("demo", "connectwise:601", default));
        Assert.Null(await links.FindAsync("other", "connectwise:601", default));

        var fromApi = await store.CreateAsync(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "Mail", "Down", null, Channel.Api), now, default);
        await links.LinkAsync("demo", "connectwise:602", fromApi.Ticket.TicketId, default);
        await links.LinkAsync("demo", "connectwise:602", "T-9999", default);
        Assert.Equal(fromApi.Ticket.TicketId, await links.FindAsync("demo", "connectwise:602", default));
        // The PSA's own "new ticket" event for the ticket autotier opened files nothing new.
        var echo = await store.CreateAsync(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "Mail (autotier T-x)", "Down", "connectwise:602", Channel.ConnectWise), now, default);
        Assert.Equal((fromApi.Ticket.TicketId, false), (echo.Ticket.TicketId, echo.Created));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_note_is_claimed_once_until_released_and_housekeeping_forgets_it_when_its_time_is_up()
    {
        var table = await TableAsync("psaseen");
        var seen = new TablePsaSeen(table);
        var until = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(await seen.ClaimAsync("psa.connectwise.601.note.1", until, default));
        Assert.False(await seen.ClaimAsync("psa.connectwise.601.note.1", until, default));
        await seen.ReleaseAsync("psa.connectwise.601.note.1", default);
        await seen.ReleaseAsync("psa.connectwise.601.note.1", default);
        Assert.True(await seen.ClaimAsync("psa.connectwise.601.note.1", until, default));

        // The link nonces' sweep (hourly housekeeping) forgets seen notes after their time, never before.
        var tokens = new TableTokenStore(table);
        Assert.Equal(0, await tokens.SweepAsync(until.AddDays(-1), default));
        Assert.False(await seen.ClaimAsync("psa.connectwise.601.note.1", until, default));
        Assert.Equal(1, await tokens.SweepAsync(until.AddDays(1), default));
        Assert.True(await seen.ClaimAsync("psa.connectwise.601.note.1", until, default));
    }
}
