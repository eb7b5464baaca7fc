using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Tickets;

/// <summary>Ticket.Create as the TS newTicket; expected values came from the TS build.</summary>
public sealed class TicketCreateTests
{
    private static readonly NewTicket Input = new(
        "demo",
        new Requester("Sam", "sam@demo.example"),
        "new pass Qwerty12 for VPN",
        "My password: Hunter2$\nThe SMS code was 483920.",
        null,
        Channel.Portal)
    {
        ExternalNumber = "601",
    };

    [Fact]
    public void Masks_secrets_in_the_subject_and_the_body()
    {
        var ticket = Ticket.Create("T-1001", Input, DateTimeOffset.UnixEpoch);

        Assert.Equal("new pass [password removed] for VPN", ticket.Subject);
        Assert.Equal("My password: [password removed]\nThe SMS code was [code removed].", ticket.Body);
    }

    [Fact]
    public void Starts_received_with_the_input_fields_kept()
    {
        var ticket = Ticket.Create("T-1001", Input, DateTimeOffset.UnixEpoch);

        Assert.Equal(
            ("T-1001", "demo", Input.Requester, (string?)null, Channel.Portal, Stage.Received, "601"),
            (ticket.TicketId, ticket.ClientId, ticket.Requester, ticket.ExternalId, ticket.Channel, ticket.Stage, ticket.ExternalNumber));
    }

    [Fact]
    public void Stamps_both_times_as_toISOString_would_in_UTC_to_the_millisecond()
    {
        // 2026-03-02T08:00:00.1239Z in TS becomes "2026-03-02T08:00:00.123Z".
        var now = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_239_000);

        var ticket = Ticket.Create("T-1001", Input, now);

        var expected = new DateTimeOffset(2026, 3, 2, 8, 0, 0, 123, TimeSpan.Zero);
        Assert.Equal((expected, TimeSpan.Zero), (ticket.CreatedAt, ticket.CreatedAt.Offset));
        Assert.Equal(ticket.CreatedAt, ticket.UpdatedAt);
    }
}
