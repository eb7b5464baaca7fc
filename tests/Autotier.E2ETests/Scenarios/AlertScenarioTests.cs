using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Domain.Alerts;
using Autotier.E2ETests.Support;
using Azure.Storage.Queues;
using Xunit;
using static Autotier.E2ETests.Support.ClockHostFixture;

namespace Autotier.E2ETests.Scenarios;

/// <summary>The virtual-clock host with AUTOTIER_NOTIFY pointing tier 1, tier 2 and on call at a local Teams Workflows fake and mailboxes.</summary>
public sealed class AlertsHostFixture : ClockHostFixture
{
    public FakeTeamsWorkflows Teams { get; private set; } = null!;

    protected override async Task BeforeStartAsync() => Teams = await FakeTeamsWorkflows.StartAsync();

    protected override IReadOnlyDictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        settings["AUTOTIER_NOTIFY"] = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["tier1"] = new { webhook = Teams.Url("/workflows/tier1"), email = "tier1@msp.example" },
            ["tier2"] = new { webhook = Teams.Url("/workflows/tier2") },
            ["oncall"] = new { webhook = Teams.Url("/workflows/oncall"), email = "oncall@msp.example" },
        });
        settings["AUTOTIER_OPS_KEY"] = Ops.OpsHostFixture.Key;
        return settings;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Teams is not null) await Teams.DisposeAsync();
    }
}

/// <summary>
/// tests/e2e/alerts.test.ts on the local host: alerts queued on the audience queues, delivered by the
/// deliverAlert queue triggers to a Teams Workflows webhook and the audience's mailbox (the outbox).
/// </summary>
public sealed class AlertScenarioTests(AlertsHostFixture host) : IClassFixture<AlertsHostFixture>
{
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            try { await Task.Delay(200, cts.Token); }
            catch (TaskCanceledException) { Assert.Fail($"{what}: {value}"); }
        }
    }

    private QueueClient Queue(string name) => new(host.StorageConnection, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    [Fact(Timeout = 240_000)]
    public async Task An_escalation_ends_up_as_a_card_in_the_tier_one_channel_and_a_mail_to_tier_one_both_leading_to_the_ops_page()
    {
        const string email = "vpn-alert@demo.example";
        var id = await host.FileAsync(email, "VPN will not connect", "FortiClient says the gateway is unreachable");
        var guide = await host.MailAsync(email, id, m => Text(m).Contains("answer=no", StringComparison.Ordinal), "guide");
        await host.ClickAsync(Link(guide, "answer=no"));
        await host.StageAsync(id, "escalated");

        var cards = await EventuallyAsync(() => Task.FromResult(host.Teams.PostsTo("tier1").Where(p => p.CardText.Contains(id, StringComparison.Ordinal)).ToList()), c => c.Count > 0, "a tier 1 card");
        await Task.Delay(1000);
        cards = [.. host.Teams.PostsTo("tier1").Where(p => p.CardText.Contains(id, StringComparison.Ordinal))];
        var card = Assert.Single(cards);
        Assert.Equal("AdaptiveCard", card.Content.GetProperty("type").GetString());
        Assert.Contains("Escalated", card.CardText, StringComparison.Ordinal);
        // Issue #32 fix 4: the card names the client and the subject and links to the ticket's ops page,
        // not the JSON API (which needs a function key in Azure) as the TypeScript card did.
        Assert.Contains("Demo Dental Group", card.CardText, StringComparison.Ordinal);
        Assert.Contains("VPN will not connect", card.CardText, StringComparison.Ordinal);
        var action = Assert.Single(card.Content.GetProperty("actions").EnumerateArray());
        Assert.Equal("Action.OpenUrl", action.GetProperty("type").GetString());
        Assert.Equal($"Open {id}", action.GetProperty("title").GetString());
        Assert.Equal($"{host.App.BaseAddress.ToString().TrimEnd('/')}/api/ops/tickets/{id}", action.GetProperty("url").GetString());

        var mails = await EventuallyAsync(() => host.OutboxAsync("tier1@msp.example"), m => m.Any(x => Subject(x).Contains($"Escalated: {id}", StringComparison.Ordinal)), "a tier 1 mail");
        Assert.Contains(mails, m => Subject(m).Contains($"Escalated: {id}", StringComparison.Ordinal) && Text(m).Contains($"/api/ops/tickets/{id}", StringComparison.Ordinal));
        await EventuallyAsync(async () => (await Queue("autotier-tier1").PeekMessagesAsync(32)).Value.Length, n => n == 0, "the tier 1 queue read");
    }

    [Fact(Timeout = 240_000)]
    public async Task A_card_the_Teams_webhook_refuses_shows_as_failing_with_the_error_on_the_tickets_ops_page_while_the_mail_goes_out()
    {
        host.Teams.Failing = "tier1";
        try
        {
            const string email = "vpn-failing@demo.example";
            var id = await host.FileAsync(email, "VPN will not connect", "FortiClient says the gateway is unreachable");
            var guide = await host.MailAsync(email, id, m => Text(m).Contains("answer=no", StringComparison.Ordinal), "guide");
            await host.ClickAsync(Link(guide, "answer=no"));
            await host.StageAsync(id, "escalated");
            await EventuallyAsync(() => host.OutboxAsync("tier1@msp.example"), m => m.Any(x => Subject(x).Contains($"Escalated: {id}", StringComparison.Ordinal)), "the tier 1 mail");

            async Task<string> AlertsCardAsync()
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"api/ops/tickets/{id}", UriKind.Relative));
                request.Headers.Add("x-functions-key", Ops.OpsHostFixture.Key);
                var html = await (await host.Http.SendAsync(request)).Content.ReadAsStringAsync();
                var from = html.IndexOf("id=\"alerts-h\"", StringComparison.Ordinal);
                return from < 0 ? "" : html[from..html.IndexOf("</section>", from, StringComparison.Ordinal)];
            }
            var card = await EventuallyAsync(AlertsCardAsync, c => c.Contains("failing", StringComparison.Ordinal), "a failing delivery on the ops page");
            Assert.Contains("Teams (webhook)", card, StringComparison.Ordinal);
            Assert.Contains("502", card, StringComparison.Ordinal);
            Assert.Contains("delivered", card, StringComparison.Ordinal); // the mail to tier 1 went out
            Assert.DoesNotContain("sig=local", card, StringComparison.Ordinal); // never the webhook's signed URL
            Assert.DoesNotContain(host.Teams.PostsTo("tier1"), p => p.CardText.Contains(id, StringComparison.Ordinal));
        }
        finally
        {
            host.Teams.Failing = null;
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task A_p1_page_on_the_on_call_queue_reaches_the_on_call_channel_and_mailbox()
    {
        var page = new AlertFacts("p1-page-1", "T-9001", "demo", 3, AlertKinds.P1Page, "P1 engineering: the practice server is down for everyone", host.Now)
        {
            Audience = Audience.OnCall,
        };
        var queue = Queue("autotier-tieroncall");
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(JsonSerializer.Serialize(page, AutotierJson.Options));

        var cards = await EventuallyAsync(() => Task.FromResult(host.Teams.PostsTo("oncall").Where(p => p.CardText.Contains("T-9001", StringComparison.Ordinal)).ToList()), c => c.Count > 0, "an on-call card");
        var card = Assert.Single(cards);
        Assert.Contains("P1 page: T-9001", card.CardText, StringComparison.Ordinal);
        Assert.Contains("practice server is down", card.CardText, StringComparison.Ordinal);
        var mails = await EventuallyAsync(() => host.OutboxAsync("oncall@msp.example"), m => m.Any(x => Subject(x).Contains("T-9001", StringComparison.Ordinal)), "an on-call mail");
        Assert.Single(mails, m => Subject(m).Contains("T-9001", StringComparison.Ordinal));
    }
}
