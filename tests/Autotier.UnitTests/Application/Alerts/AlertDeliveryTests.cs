using System.Text.Json.Nodes;
using Autotier.Application.Alerts;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Autotier.UnitTests.Application.Alerts;

public sealed class AlertDeliveryTests
{
    private static readonly DateTimeOffset Evening = new(2026, 12, 7, 17, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Evening);
    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryAlertDeliveryLog log = new();
    private readonly RecordingMail mail = new();
    private readonly RecordingWebhook webhook;
    private readonly AlertDelivery delivery;

    private static readonly AlertRouting Routing = AlertRouting.Parse("""
        {"tier1": {"webhook": "https://t1.example/hook", "email": "tier1@msp.example"},
         "tier2": {"webhook": "https://t2.example/hook", "email": "tier2@msp.example"},
         "tier3": {"webhook": "https://t3.example/hook", "email": "tier3@msp.example"},
         "oncall": {"webhook": "https://oncall.example/hook", "email": "oncall@msp.example"}}
        """)!;

    private readonly ITestOutputHelper output;

    public AlertDeliveryTests(ITestOutputHelper output)
    {
        this.output = output;
        webhook = new RecordingWebhook(clock);
        delivery = new AlertDelivery(
            new AlertDeliveryOptions(Routing, "https://autotier.example", DigestPolicy.Default),
            log, new InMemoryDigestStore(), webhook, mail, tickets, clock, NullLogger<AlertDelivery>.Instance);
    }

    private async Task<string> TicketAsync(Stage stage = Stage.Escalated)
    {
        var created = await tickets.CreateAsync(new NewTicket("contoso", new Requester("Sam", "sam@contoso.example"), "Server down", "FS01", null, Channel.Api), clock.GetUtcNow(), default);
        await tickets.UpdateAsync(created.Ticket.TicketId, t => t with { Stage = stage }, default);
        return created.Ticket.TicketId;
    }

    private AlertFacts Alert(string ticketId, string key, int tier = 3, Audience? audience = null) =>
        new(key, ticketId, "contoso", tier, AlertKinds.TierLimitPassed, "Tier 3 time limit passed", clock.GetUtcNow()) { Audience = audience, ClientName = "Contoso Ltd", Priority = "P2" };

    [Fact]
    public async Task An_alert_goes_to_each_channel_of_its_audience_once_even_when_redelivered()
    {
        var ticket = await TicketAsync();
        var alert = Alert(ticket, "tier-limit-3");
        Assert.Equal(AlertOutcome.Alone, await delivery.DeliverAsync(Audience.Tier3, alert, default));
        Assert.Equal(AlertOutcome.Alone, await delivery.DeliverAsync(Audience.Tier3, alert, default));
        var post = Assert.Single(webhook.Posts);
        Assert.Equal(new Uri("https://t3.example/hook"), post.Url);
        Assert.Contains($"/api/ops/tickets/{ticket}", post.Message.ToJsonString(), StringComparison.Ordinal);
        var sent = Assert.Single(mail.Sent);
        Assert.Equal("tier3@msp.example", sent.To);
        Assert.Equal(1, mail.Attempts);
    }

    [Fact]
    public async Task An_alert_for_a_ticket_resolved_since_is_dropped_and_recorded()
    {
        var resolved = await TicketAsync(Stage.Resolved);
        var closed = await TicketAsync(Stage.Closed);
        Assert.Equal(AlertOutcome.Dropped, await delivery.DeliverAsync(Audience.Tier2, Alert(resolved, "handoff-2", tier: 2), default));
        Assert.Equal(AlertOutcome.Dropped, await delivery.DeliverAsync(Audience.Tier2, Alert(closed, "handoff-2", tier: 2), default));
        Assert.Empty(webhook.Posts);
        Assert.Empty(mail.Sent);
        Assert.Equal(AlertOutcome.Dropped, log.Outcomes[(resolved, "handoff-2")]);
    }

    [Fact]
    public async Task A_failing_channel_is_recorded_and_thrown_and_only_it_is_tried_again()
    {
        var ticket = await TicketAsync();
        var alert = Alert(ticket, "p1-page", audience: Audience.OnCall);
        webhook.Failing = true;
        var error = await Assert.ThrowsAsync<AlertDeliveryException>(() => delivery.DeliverAsync(Audience.OnCall, alert, default));
        Assert.Contains("webhook failed on try 1", error.Message, StringComparison.Ordinal);
        Assert.Single(mail.Sent);
        var failure = Assert.Single(log.Failures);
        Assert.Equal((AlertChannel.Webhook, Audience.OnCall), (failure.Channel, failure.Audience));
        Assert.DoesNotContain("oncall.example", failure.Error, StringComparison.Ordinal);

        error = await Assert.ThrowsAsync<AlertDeliveryException>(() => delivery.DeliverAsync(Audience.OnCall, alert, default));
        Assert.Contains("webhook failed on try 2", error.Message, StringComparison.Ordinal);
        webhook.Failing = false;
        await delivery.DeliverAsync(Audience.OnCall, alert, default);
        Assert.Single(webhook.Posts);
        Assert.Equal(1, mail.Attempts);
    }

    [Fact]
    public async Task Without_a_channel_for_the_audience_the_alert_is_recorded_as_undelivered()
    {
        var quiet = new AlertDelivery(
            new AlertDeliveryOptions(AlertRouting.Parse("""{"tier1": {"email": "t1@msp.example"}}"""), "https://a.example", DigestPolicy.Default),
            log, new InMemoryDigestStore(), webhook, mail, tickets, clock, NullLogger<AlertDelivery>.Instance);
        var ticket = await TicketAsync();
        Assert.Equal(AlertOutcome.NoChannel, await quiet.DeliverAsync(Audience.Tier3, Alert(ticket, "k"), default));
        Assert.Empty(mail.Sent);
    }

    [Fact]
    public async Task A_gathered_alert_whose_ticket_is_resolved_before_the_digest_goes_is_left_out()
    {
        var ids = new List<string>();
        for (var i = 0; i < 8; i++) ids.Add(await TicketAsync());
        foreach (var id in ids) await delivery.DeliverAsync(Audience.Tier3, Alert(id, "tier-limit-3"), default);
        Assert.Equal(5, webhook.Posts.Count);
        await tickets.UpdateAsync(ids[6], t => t with { Stage = Stage.Resolved }, default);

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await delivery.FlushAsync(Audience.Tier3, default));
        var digest = webhook.Posts.Last().Message.ToJsonString();
        Assert.Contains("2 alerts for tier 3", digest, StringComparison.Ordinal);
        Assert.Contains(ids[5], digest, StringComparison.Ordinal);
        Assert.Contains(ids[7], digest, StringComparison.Ordinal);
        Assert.DoesNotContain(ids[6] + "]", digest, StringComparison.Ordinal);
        Assert.Equal(AlertOutcome.Dropped, log.Outcomes[(ids[6], "tier-limit-3")]);
        Assert.False(await delivery.FlushAsync(Audience.Tier3, default));
    }

    [Fact]
    public async Task A_digest_whose_channel_fails_stays_sealed_and_goes_on_the_next_flush()
    {
        for (var i = 0; i < 7; i++) await delivery.DeliverAsync(Audience.Tier1, Alert(await TicketAsync(), "handoff", tier: 1), default);
        clock.Advance(TimeSpan.FromMinutes(5));
        webhook.Failing = true;
        await Assert.ThrowsAsync<AlertDeliveryException>(() => delivery.FlushAsync(Audience.Tier1, default));
        webhook.Failing = false;
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await delivery.FlushAsync(Audience.Tier1, default));
        Assert.Contains("2 alerts for tier 1", webhook.Posts.Last().Message.ToJsonString(), StringComparison.Ordinal);
        // The mail went on the first flush and is not sent again.
        Assert.Single(mail.Sent, m => m.Subject.Contains("2 alerts", StringComparison.Ordinal));
    }

    /// <summary>
    /// The week on the virtual clock: with default timers 95 tickets reached tier 3 by evening and each
    /// made a Teams post and a mail. Replayed here as 95 alerts in bursts over an evening (tier limits
    /// passing in waves, SLA warnings to on call), with the timer flushing every minute: every alert
    /// reaches its audience exactly once, alone or in a digest, and no audience's channel gets more than
    /// the policy's bound in any hour.
    /// </summary>
    [Fact]
    public async Task A_burst_of_95_alerts_in_an_evening_yields_a_bounded_number_of_posts_per_audience_per_hour()
    {
        var random = new Random(32);
        var arrivals = new List<(TimeSpan At, Audience Audience)>();
        // Waves: at 17:00 tier 1's limits pass for the morning's tickets, then tier 2's and tier 3's.
        foreach (var (start, audience, count) in new[] { (0, Audience.Tier1, 25), (40, Audience.Tier2, 30), (100, Audience.Tier3, 30), (150, Audience.OnCall, 10) })
        {
            for (var i = 0; i < count; i++) arrivals.Add((TimeSpan.FromMinutes(start + random.Next(0, 45)) + TimeSpan.FromSeconds(random.Next(0, 60)), audience));
        }
        Assert.Equal(95, arrivals.Count);
        arrivals.Sort((a, b) => a.At.CompareTo(b.At));

        var keys = new Dictionary<Audience, List<string>>();
        var next = 0;
        for (var minute = TimeSpan.Zero; minute <= TimeSpan.FromHours(5); minute += TimeSpan.FromMinutes(1))
        {
            for (; next < arrivals.Count && arrivals[next].At < minute + TimeSpan.FromMinutes(1); next++)
            {
                clock.SetUtcNow(Evening + arrivals[next].At);
                var (_, audience) = arrivals[next];
                var ticket = await TicketAsync();
                var tier = audience == Audience.OnCall ? 1 : (int)audience + 1;
                await delivery.DeliverAsync(audience, Alert(ticket, $"alert-{next}", tier, audience == Audience.OnCall ? Audience.OnCall : null), default);
                keys.TryAdd(audience, []);
                keys[audience].Add(ticket);
            }
            clock.SetUtcNow(Evening + minute + TimeSpan.FromMinutes(1));
            foreach (var audience in Audiences.All) await delivery.FlushAsync(audience, default);
        }

        var bound = DigestPolicy.Default.MaxPostsPerHour;
        foreach (var audience in keys.Keys)
        {
            var url = Routing.For(audience)!.Webhook;
            var posts = webhook.Posts.Where(p => p.Url == url).ToList();
            // Every ticket of the audience appears in exactly one post.
            var mentions = keys[audience].ToDictionary(t => t, t => posts.Count(p => Mentions(p.Message, t)));
            Assert.All(mentions, m => Assert.Equal(1, m.Value));
            var busiestHour = posts.Max(p => posts.Count(q => q.At >= p.At && q.At < p.At + TimeSpan.FromHours(1)));
            Assert.True(busiestHour <= bound, $"{audience}: {busiestHour} posts in one hour, bound {bound}");
            // More alerts than the hourly singles cannot all have gone alone.
            if (keys[audience].Count > DigestPolicy.Default.MaxSinglePerHour)
                Assert.True(posts.Count < keys[audience].Count, $"{audience}: {posts.Count} posts for {keys[audience].Count} alerts");
            output.WriteLine($"{audience}: {keys[audience].Count} alerts, {posts.Count} posts, at most {busiestHour} in an hour (bound {bound})");
            // The mails follow the cards one for one.
            Assert.Equal(posts.Count, mail.Sent.Count(m => m.To == Routing.For(audience)!.Email));
        }
        output.WriteLine($"{webhook.Posts.Count} posts for 95 alerts");
    }

    private static bool Mentions(JsonObject message, string ticketId) =>
        message.ToJsonString().Contains($"/api/ops/tickets/{ticketId}\"", StringComparison.Ordinal)
        || message.ToJsonString().Contains($"/api/ops/tickets/{ticketId})", StringComparison.Ordinal);
}
