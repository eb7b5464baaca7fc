using System.Text.Json;
using Autotier.Adapters.Mail;
using Autotier.Adapters.Notify;
using Autotier.Adapters.Queues;
using Autotier.Adapters.Tables;
using Autotier.Application.Alerts;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Azurite;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.IntegrationTests.Alerts;

[Collection(AzuriteFixture.Collection)]
public sealed class AlertStoresOnTablesTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);

    private async Task<TableClient> TableAsync(string hint)
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteNames.Table(hint));
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static AlertFacts Alert(string ticketId, string key, int tier = 2, Audience? audience = null) =>
        new(key, ticketId, "contoso", tier, AlertKinds.TierHandoff, "Handed to tier 2", At) { Audience = audience, ClientName = "Contoso Ltd", Priority = "P2" };

    [Fact(Timeout = 60_000)]
    public async Task The_notifier_queues_each_alert_once_on_its_audiences_queue_as_the_trigger_reads_it()
    {
        var prefix = AzuriteNames.Queue("tier");
        var queues = new QueueServiceClient(azurite.ConnectionString, QueueNotifier.ClientOptions());
        var table = await TableAsync("alertdeliveries");
        var notifier = new QueueNotifier(a => queues.GetQueueClient(a.QueueName(prefix)), table);

        await notifier.NotifyAsync(Alert("T-1001", "handoff-2"), default);
        await notifier.NotifyAsync(Alert("T-1001", "handoff-2"), default);
        await notifier.NotifyAsync(Alert("T-1001", "p1-page", tier: 2, audience: Audience.OnCall), default);

        var tier2 = (await queues.GetQueueClient(prefix + "2").ReceiveMessagesAsync(10)).Value;
        var message = Assert.Single(tier2);
        var alert = JsonSerializer.Deserialize<AlertFacts>(message.Body.ToString(), AutotierJson.Options)!;
        Assert.Equal(Alert("T-1001", "handoff-2"), alert);
        var oncall = Assert.Single((await queues.GetQueueClient(prefix + "oncall").ReceiveMessagesAsync(10)).Value);
        Assert.Contains("\"audience\":\"oncall\"", oncall.Body.ToString(), StringComparison.Ordinal);
        // The ops page lists what a ticket raised.
        var raised = await new TableAlertDeliveryLog(table).ForTicketAsync("T-1001", default);
        Assert.Equal([("handoff-2", "queued"), ("p1-page", "queued")], raised.Select(r => (r.Key, r.Status)));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_delivery_log_keeps_outcomes_deliveries_and_failures_that_recover()
    {
        var log = new TableAlertDeliveryLog(await TableAsync("alertdeliveries"));
        var alert = Alert("T-1002", "handoff-2");
        Assert.Null(await log.OutcomeOfAsync("T-1002", "handoff-2", default));
        await log.RecordOutcomeAsync(alert, Audience.Tier2, AlertOutcome.Alone, At, default);
        Assert.Equal(AlertOutcome.Alone, await log.OutcomeOfAsync("T-1002", "handoff-2", default));

        Assert.Equal(1, await log.RecordFailedAsync(new AlertDeliveryFailure("T-1002", "handoff-2", AlertChannel.Webhook, Audience.Tier2, alert.Kind, "the webhook answered HTTP 502", At), default));
        Assert.Equal(2, await log.RecordFailedAsync(new AlertDeliveryFailure("T-1002", "handoff-2", AlertChannel.Webhook, Audience.Tier2, alert.Kind, "the webhook answered HTTP 503", At.AddSeconds(10)), default));
        Assert.False(await log.DeliveredAsync("T-1002", "handoff-2", AlertChannel.Webhook, default));
        await log.RecordDeliveredAsync("T-1002", "handoff-2", AlertChannel.Webhook, Audience.Tier2, At.AddSeconds(20), default);
        Assert.True(await log.DeliveredAsync("T-1002", "handoff-2", AlertChannel.Webhook, default));
        Assert.False(await log.DeliveredAsync("T-1002", "handoff-2", AlertChannel.Email, default));

        var records = await log.ForTicketAsync("T-1002", default);
        Assert.Equal(["alone", "recovered", "delivered"], records.Select(r => r.Status));
        var failure = records.Single(r => r.Status == "recovered");
        Assert.Equal((2, "the webhook answered HTTP 503"), (failure.Failures, failure.Error));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_digest_store_applies_concurrent_changes_one_after_another()
    {
        var table = await TableAsync("alertdeliveries");
        var stores = Enumerable.Range(0, 4).Select(_ => new TableAlertDigestStore(table)).ToList();
        var admissions = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            stores[i % stores.Count].UpdateAsync(Audience.Tier3, s => AlertDigest.Admit(s, Alert($"T-{2000 + i}", "k"), At, DigestPolicy.Default), default)));

        // As if one instance had seen them in turn: a handful alone, the rest gathered.
        Assert.Equal(DigestPolicy.Default.BurstSize, admissions.Count(a => a == AlertAdmission.Alone));
        var due = await stores[0].UpdateAsync(Audience.Tier3, s => AlertDigest.Flush(s, Audience.Tier3, At.AddMinutes(5), DigestPolicy.Default), default);
        Assert.Equal(12 - DigestPolicy.Default.BurstSize, due!.Alerts.Count);
        // Sealed in the row: another instance flushing later gets the same batch.
        var again = await stores[1].UpdateAsync(Audience.Tier3, s => AlertDigest.Flush(s, Audience.Tier3, At.AddMinutes(6), DigestPolicy.Default), default);
        Assert.Equal((due.Id, due.ClosedAt), (again!.Id, again.ClosedAt));
        Assert.Equal(due.Alerts.Select(a => a.TicketId), again.Alerts.Select(a => a.TicketId));
    }

    [Fact(Timeout = 60_000)]
    public async Task Delivery_on_tables_posts_to_teams_files_the_mail_and_drops_what_was_resolved()
    {
        await using var teams = await FakeHttpServer.StartAsync((_, context) => { context.Response.StatusCode = 202; return Task.CompletedTask; });
        var clock = new FakeTimeProvider(At);
        var tickets = new TableTicketStore(await TableAsync("tickets"));
        var outboxTable = await TableAsync("outbox");
        var outbox = new TableOutbox(outboxTable, clock);
        var deliveries = await TableAsync("alertdeliveries");
        var routing = AlertRouting.Parse($$$"""{"tier2": {"webhook": "{{{teams.BaseAddress}}}hook?sig=S", "email": "tier2@msp.example"}}""");
        using var http = new HttpClient();
        var delivery = new AlertDelivery(
            new AlertDeliveryOptions(routing, "https://autotier.example", DigestPolicy.Default),
            new TableAlertDeliveryLog(deliveries), new TableAlertDigestStore(deliveries), new WorkflowsWebhook(http), outbox, tickets, clock,
            NullLogger<AlertDelivery>.Instance);

        var open = (await tickets.CreateAsync(new NewTicket("contoso", new Requester("Sam", "sam@contoso.example"), "VPN", "down", null, Channel.Api), At, default)).Ticket;
        var done = (await tickets.CreateAsync(new NewTicket("contoso", new Requester("Kim", "kim@contoso.example"), "Printer", "jam", null, Channel.Api), At, default)).Ticket;
        await tickets.UpdateAsync(done.TicketId, t => t with { Stage = Stage.Resolved }, default);

        Assert.Equal(AlertOutcome.Alone, await delivery.DeliverAsync(Audience.Tier2, Alert(open.TicketId, "handoff-2"), default));
        Assert.Equal(AlertOutcome.Dropped, await delivery.DeliverAsync(Audience.Tier2, Alert(done.TicketId, "handoff-2"), default));
        Assert.Equal(AlertOutcome.Alone, await delivery.DeliverAsync(Audience.Tier2, Alert(open.TicketId, "handoff-2"), default));

        var post = Assert.Single(teams.Requests);
        Assert.Contains($"/api/ops/tickets/{open.TicketId}", post.Body, StringComparison.Ordinal);
        var mail = Assert.Single(await outbox.ListAsync("tier2@msp.example", default));
        Assert.Contains($"/api/ops/tickets/{open.TicketId}", mail.Text, StringComparison.Ordinal);
    }
}
