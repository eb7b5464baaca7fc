using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Tickets;
using Autotier.LocalHost;
using Autotier.TestSupport.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Autotier.IntegrationTests.Alerts;

/// <summary>
/// The deliverAlert functions as the local host runs them: an alert the notifier queues reaches the
/// audience's fake Teams webhook and its mail lands in the outbox, through the queue trigger and
/// the app's composition (AUTOTIER_NOTIFY, AUTOTIER_TIER_QUEUE_PREFIX).
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class DeliverAlertFunctionTests(AzuriteFixture azurite)
{
    [Fact(Timeout = 120_000)]
    public async Task A_queued_alert_is_posted_and_mailed_once_and_one_for_a_resolved_ticket_is_dropped()
    {
        await using var teams = await FakeHttpServer.StartAsync((_, context) => { context.Response.StatusCode = 202; return Task.CompletedTask; });
        var names = AzuriteNames.Prefix();
        await using var app = LocalHostApp.Create(
            new LocalHostSettings
            {
                Port = 0,
                AppSettings = new Dictionary<string, string?>
                {
                    ["AUTOTIER_TASK_HUB"] = names,
                    ["AUTOTIER_TABLE_PREFIX"] = names,
                    ["AUTOTIER_INTAKE_QUEUE"] = $"{names}-intake",
                    ["AUTOTIER_TIER_QUEUE_PREFIX"] = $"{names}-tier",
                    ["AUTOTIER_PUBLIC_BASE_URL"] = "https://autotier.example",
                    ["AUTOTIER_NOTIFY"] = $$$"""{"oncall": {"webhook": "{{{teams.BaseAddress}}}hook?sig=S", "email": "oncall@msp.example"}}""",
                },
            },
            azurite.ConnectionString,
            Path.Combine(RepositoryRoot.Find(), "host.json"),
            logging => logging.ClearProviders());
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(start.Token);

        var tickets = app.Services.GetRequiredService<ITicketStore>();
        var at = DateTimeOffset.UtcNow;
        var open = (await tickets.CreateAsync(new NewTicket("contoso", new Requester("Sam", "sam@contoso.example"), "Server down", "FS01", null, Channel.Api), at, default)).Ticket;
        var done = (await tickets.CreateAsync(new NewTicket("contoso", new Requester("Kim", "kim@contoso.example"), "Printer", "jam", null, Channel.Api), at, default)).Ticket;
        await tickets.UpdateAsync(done.TicketId, t => t with { Stage = Stage.Closed }, default);

        var notifier = app.Services.GetRequiredService<INotifier>();
        AlertFacts Page(string ticketId) => new("p1-page", ticketId, "contoso", 1, AlertKinds.P1Page, "P1: server down", at)
        {
            Audience = Audience.OnCall, ClientName = "Contoso Ltd", Priority = "P1", DueAt = at.AddMinutes(15), TimeZone = "Europe/London",
        };
        await notifier.NotifyAsync(Page(done.TicketId), default);
        await notifier.NotifyAsync(Page(open.TicketId), default);
        await notifier.NotifyAsync(Page(open.TicketId), default);

        var outbox = app.Services.GetRequiredService<IDevOutbox>();
        IReadOnlyList<OutboxMail> mails = [];
        while (teams.Requests.IsEmpty || mails.Count == 0)
        {
            await Task.Delay(100);
            mails = await outbox.ListAsync("oncall@msp.example", default);
        }
        var log = app.Services.GetRequiredService<IAlertDeliveryLog>();
        while (await log.OutcomeOfAsync(done.TicketId, "p1-page", default) is null) await Task.Delay(100);
        // Give a wrongly queued duplicate time to show up before counting.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var post = Assert.Single(teams.Requests);
        Assert.Contains($"https://autotier.example/api/ops/tickets/{open.TicketId}", post.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(done.TicketId + "\"", post.Body, StringComparison.Ordinal);
        var mail = Assert.Single(mails);
        Assert.Equal("autotier on call: P1 page: " + open.TicketId + " (P1) (Contoso Ltd)", mail.Subject);
        Assert.Equal(AlertOutcome.Dropped, await log.OutcomeOfAsync(done.TicketId, "p1-page", default));
    }
}
