using Autotier.Application.Lifecycle;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application;

/// <summary>The rating links: asked on GET, one rating per link on POST, into the metrics' summary.</summary>
public sealed class TicketRatingsTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryOutcomeLog outcomes = new();
    private readonly LinkSettings links = LinkSettings.From("test-link-signing-key-0123456789abcdef", "https://autotier.example");

    private TicketRatings Ratings() => new(tickets, outcomes, () => links, clock);

    private async Task<(string Id, string Token)> RatedTicketAsync()
    {
        var created = await tickets.CreateAsync(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), "VPN", "drops", null, Channel.Api), clock.GetUtcNow(), default);
        var id = created.Ticket.TicketId;
        var link = links.RatingLinks(id, "resolved", clock.GetUtcNow())[3];
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        return (id, token);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_get_asks_a_post_records_once_and_the_summary_carries_the_rating()
    {
        var (id, token) = await RatedTicketAsync();
        var ratings = Ratings();

        Assert.Equal(new RateResult(RateOutcome.Ask, 4), await ratings.RateAsync(id, "4", token, record: false, null, null, default));
        Assert.Empty(await outcomes.EventsAsync("demo", id, default));

        var recorded = await ratings.RateAsync(id, "4", token, record: true, "2", "slow to answer\u202e\u0007", default);
        var again = await ratings.RateAsync(id, "4", token, record: true, "5", null, default);

        Assert.Equal(new RateResult(RateOutcome.Recorded, 2), recorded);
        Assert.Equal(RateOutcome.AlreadyRated, again.Outcome);
        var summary = Assert.Single(await outcomes.SummariesAsync("demo", clock.GetUtcNow().AddDays(-1), clock.GetUtcNow().AddDays(1), default));
        Assert.Equal(2, summary.Rating!.Score);
        Assert.Equal("slow to answer", summary.Rating.Comment);
    }

    [Fact(Timeout = 10_000)]
    public async Task Expired_forged_and_out_of_range_links_are_refused_with_the_field_named()
    {
        var (id, token) = await RatedTicketAsync();
        var ratings = Ratings();

        Assert.Equal("score: must be a whole number from 1 to 5", (await ratings.RateAsync(id, "6", token, true, null, null, default)).Error);
        Assert.StartsWith("token:", (await ratings.RateAsync(id, "4", token + "x", true, null, null, default)).Error, StringComparison.Ordinal);
        Assert.StartsWith("comment:", (await ratings.RateAsync(id, "4", token, true, null, new string('x', 2001), default)).Error, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(RateOutcome.Expired, (await ratings.RateAsync(id, "4", token, true, null, null, default)).Outcome);
        Assert.Empty(await outcomes.EventsAsync("demo", id, default));
    }
}
