using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.Application.Mail;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Autotier.E2ETests.Mail;

/// <summary>
/// The TypeScript mail.test.ts "through Microsoft Graph" and the ACS delivery reports, against the
/// local host over HTTP with Graph served by the emulator (the Graph SDK talks to it).
/// </summary>
[Collection(MailHostFixture.Collection)]
public sealed class GraphAndDeliveryTests(MailHostFixture host)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Notification(string mailbox, string id, string clientState = MailHostFixture.ClientState) =>
        JsonSerializer.Serialize(new
        {
            value = new[]
            {
                new
                {
                    subscriptionId = "sub-1", clientState, changeType = "created",
                    resource = $"Users/{mailbox}/Messages/{id}", resourceData = new { id },
                },
            },
        });

    private async Task<HttpStatusCode> NotifyAsync(string mailbox, string id, string clientState = MailHostFixture.ClientState)
    {
        using var response = await host.Http.PostAsync(new Uri("api/mail/graph", UriKind.Relative), Json(Notification(mailbox, id, clientState)));
        return response.StatusCode;
    }

    private async Task<JsonElement[]> OutboxAsync(string to) =>
        (await host.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(to)}", UriKind.Relative)))!;

    [Fact(Timeout = 120_000)]
    public async Task Answers_the_validation_handshake_refuses_a_wrong_clientState_and_takes_a_notified_message_in_once()
    {
        const string token = "Validation: Testing client application reachability";
        foreach (var route in new[] { "api/mail/graph", "api/mail/graph/lifecycle" })
        {
            using var v = await host.Http.PostAsync(new Uri($"{route}?validationToken={Uri.EscapeDataString(token)}", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, v.StatusCode);
            Assert.Equal("text/plain", v.Content.Headers.ContentType?.MediaType);
            Assert.Equal(token, await v.Content.ReadAsStringAsync());
        }

        host.Graph.Emulator.AddMessage(MailHostFixture.Mailbox, "AAMkAD-latin1", Encoding.Latin1.GetBytes(MailIntakeTests.Fixture("latin1.eml")));
        Assert.Equal(HttpStatusCode.Unauthorized, await NotifyAsync(MailHostFixture.Mailbox, "AAMkAD-latin1", "forged-state"));
        // Throttled once: the SDK's retry handler waits it out.
        host.Graph.Emulator.Fail(new Autotier.LocalHost.GraphEmulator.GraphFault(429, "0", Path: new System.Text.RegularExpressions.Regex("AAMkAD-latin1")));
        Assert.Equal(HttpStatusCode.Accepted, await NotifyAsync(MailHostFixture.Mailbox, "AAMkAD-latin1"));
        Assert.Equal(HttpStatusCode.Accepted, await NotifyAsync(MailHostFixture.Mailbox, "AAMkAD-latin1", "graph-client-state-old"));
        using var cts = new CancellationTokenSource(Bound);
        JsonElement[] acks;
        while ((acks = [.. (await OutboxAsync("rene.dupre@demo.example")).Where(m => m.GetProperty("subject").GetString()!.Contains("We've got your request", StringComparison.Ordinal))]).Length == 0)
            await Task.Delay(100, cts.Token);
        Assert.Contains("Imprimante hors ligne à l'accueil", acks[0].GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Hi René,", acks[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        await Task.Delay(2000, cts.Token);
        Assert.Single(await OutboxAsync("rene.dupre@demo.example"), m => m.GetProperty("subject").GetString()!.Contains("We've got your request", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_notification_list_holding_something_that_is_not_a_notification_is_a_400()
    {
        foreach (var body in new[] { "{\"value\":[null]}", "{\"value\":[1]}", "{\"value\":[[]]}", "{\"value\":{}}", "[]", "not json" })
        {
            using var response = await host.Http.PostAsync(new Uri("api/mail/graph", UriKind.Relative), Json(body));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("error", out _), body);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_notified_message_is_read_only_from_the_support_mailbox_whatever_mailbox_the_notification_names()
    {
        var mail = MailIntakeTests.Fixture("plain.eml").Replace("Kim.Park@demo.example", "kim.graph@demo.example", StringComparison.Ordinal).Replace("plain-001", "graph-001", StringComparison.Ordinal);
        host.Graph.Emulator.AddMessage("ceo@msp.example", "AAMkAD-ceo", Encoding.Latin1.GetBytes(mail.Replace("kim.graph", "kim.ceo", StringComparison.Ordinal)));
        host.Graph.Emulator.AddMessage(MailHostFixture.Mailbox, "AAMkAD-ceo", Encoding.Latin1.GetBytes(mail));
        Assert.Equal(HttpStatusCode.Accepted, await NotifyAsync("ceo@msp.example", "AAMkAD-ceo"));
        using var cts = new CancellationTokenSource(Bound);
        while ((await OutboxAsync("kim.graph@demo.example")).Length == 0) await Task.Delay(100, cts.Token);
        Assert.Empty(await OutboxAsync("kim.ceo@demo.example"));
        var reads = host.Graph.Emulator.Requests.Where(r => r.Method == "GET" && r.Path.Contains("AAMkAD-ceo", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, r => Assert.Equal($"/users/{MailHostFixture.Mailbox}/messages/AAMkAD-ceo/$value", Uri.UnescapeDataString(r.Path)));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_subscription_is_created_through_the_handshake_renewed_and_recreated_on_lifecycle_events()
    {
        var keeper = host.App.Services.GetRequiredService<GraphSubscriptionKeeper>();
        var emulator = host.Graph.Emulator;
        emulator.Subscriptions.Clear();
        Assert.Equal("created", await keeper.KeepAsync(force: false, CancellationToken.None));
        var created = Assert.Single(emulator.Subscriptions.Values);
        Assert.Equal($"/users/{Uri.EscapeDataString(MailHostFixture.Mailbox)}/mailFolders('inbox')/messages", created.Resource);
        Assert.Equal(MailHostFixture.ClientState, created.ClientState);
        Assert.EndsWith("/api/mail/graph", created.NotificationUrl, StringComparison.Ordinal);
        Assert.Equal("kept", await keeper.KeepAsync(force: false, CancellationToken.None));

        string Lifecycle(string lifecycleEvent) => JsonSerializer.Serialize(new
        {
            value = new[] { new { subscriptionId = created.Id, clientState = MailHostFixture.ClientState, lifecycleEvent } },
        });
        // reauthorizationRequired: renewed at once (PATCH).
        using (var r = await host.Http.PostAsync(new Uri("api/mail/graph/lifecycle", UriKind.Relative), Json(Lifecycle("reauthorizationRequired"))))
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        Assert.Contains(emulator.Requests, r => r.Method == "PATCH" && r.Path == $"/subscriptions/{created.Id}");
        // subscriptionRemoved: Graph dropped it, so a new one is made.
        emulator.Subscriptions.Clear();
        using (var r = await host.Http.PostAsync(new Uri("api/mail/graph/lifecycle", UriKind.Relative), Json(Lifecycle("subscriptionRemoved"))))
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        Assert.Single(emulator.Subscriptions.Values);
        // A forged lifecycle notification changes nothing.
        var before = emulator.Requests.Count;
        using (var r = await host.Http.PostAsync(new Uri("api/mail/graph/lifecycle", UriKind.Relative), Json(Lifecycle("subscriptionRemoved").Replace(MailHostFixture.ClientState, "forged", StringComparison.Ordinal))))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal(before, emulator.Requests.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task ACS_delivery_reports_answer_Event_Grids_validation_handshake_and_record_a_bounce_on_the_ticket()
    {
        const string validation = """
            [{"id":"2d1781af-3a4c-4d7c-bd0c-e34b19da4e66","topic":"/subscriptions/x/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
              "subject":"","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://rp-eastus2.eventgrid.azure.net/api/vr"},
              "eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-03-02T10:00:00Z","metadataVersion":"1","dataVersion":"2"}]
            """;
        using (var v = await host.Http.PostAsync(new Uri("api/mail/delivery-reports", UriKind.Relative), Json(validation)))
        {
            Assert.Equal(HttpStatusCode.OK, v.StatusCode);
            Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", (await v.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("validationResponse").GetString());
        }

        // A ticket whose acknowledgement ACS sent as operation op-bounce (the ledger's rows as the ACS sender writes them).
        var ticketBody = JsonSerializer.Serialize(new { clientId = "demo", requester = new { email = "bounce.me@demo.example" }, subject = "Printer offline", body = "The printer at reception shows offline." });
        using var filed = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative), Json(ticketBody));
        var ticketId = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
        var ledger = host.Tables.GetTableClient("autotierSentMail");
        await ledger.UpsertEntityAsync(new TableEntity("operation", "op-bounce") { ["Key"] = $"{ticketId}.acknowledge" });

        string Report(string messageId, string status) => JsonSerializer.Serialize(new[]
        {
            new
            {
                id = Guid.NewGuid().ToString(), topic = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
                subject = $"sender/DoNotReply@msp.example/message/{messageId}", eventType = "Microsoft.Communication.EmailDeliveryReportReceived",
                eventTime = "2026-03-02T10:05:00Z", dataVersion = "1.0", metadataVersion = "1",
                data = new
                {
                    sender = "DoNotReply@msp.example", recipient = "bounce.me@demo.example", messageId, status,
                    deliveryStatusDetails = new { statusMessage = "Mailbox unavailable" }, deliveryAttemptTimeStamp = "2026-03-02T10:04:59Z",
                },
            },
        });
        using (var unknown = await host.Http.PostAsync(new Uri("api/mail/delivery-reports", UriKind.Relative), Json(Report("op-unknown", "Bounced"))))
            Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        for (var i = 0; i < 2; i++)
            using (var bounced = await host.Http.PostAsync(new Uri("api/mail/delivery-reports", UriKind.Relative), Json(Report("op-bounce", "Bounced"))))
                Assert.Equal(HttpStatusCode.OK, bounced.StatusCode);
        var sent = await ledger.GetEntityAsync<TableEntity>("sent", $"{ticketId}.acknowledge");
        Assert.Equal("Bounced", sent.Value.GetString("Delivery"));
        var view = await host.Http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{ticketId}", UriKind.Relative));
        var lines = view.GetProperty("timeline").EnumerateArray().Where(l => l.GetProperty("step").GetString() == "undelivered-acknowledge").ToList();
        var line = Assert.Single(lines);
        Assert.Contains("was not delivered (Bounced: Mailbox unavailable)", line.GetProperty("note").GetString(), StringComparison.Ordinal);

        foreach (var bad in new[] { "not json", "{\"a\":1}", "[1]" })
            using (var r = await host.Http.PostAsync(new Uri("api/mail/delivery-reports", UriKind.Relative), Json(bad)))
                Assert.True(r.StatusCode == HttpStatusCode.BadRequest, bad);
    }
}
