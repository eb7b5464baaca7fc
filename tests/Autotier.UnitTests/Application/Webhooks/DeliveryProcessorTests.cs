using System.Text.Json;
using Autotier.Application.Assistant;
using Autotier.Application.Tickets;
using Autotier.Application.Webhooks;
using Autotier.Domain.Clients;
using Autotier.Domain.Tickets;
using Autotier.Domain.Webhooks;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application.Webhooks;

/// <summary>The intake queue's consumer (src/intake/processIntake.ts for webhooks) and the Review table's use case.</summary>
public sealed class DeliveryProcessorTests
{
    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryClientStore clients = new();
    private readonly RecordingWorkflow workflow = new();
    private readonly InMemoryDeliveryInbox inbox = new();
    private readonly InMemoryReviewStore review = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly DeliveryProcessor processor;
    private readonly ReviewItems items;

    public DeliveryProcessorTests()
    {
        var intake = new TicketIntake(
            tickets, clients, new AcknowledgeAtOnce(new RecordingMail(), time, NullLogger<AcknowledgeAtOnce>.Instance, time),
            new RecordingStarts(), new RecordingClassifier(), NullAssistant.Instance, time, NullLogger<TicketIntake>.Instance);
        var settings = new WebhookSettings(["s"], PsaVendors.HaloPsa, null, ["a:b"], PsaIntakeMapping.Parse("""{"companies":{"250":"demo"},"selfIds":["77"]}"""));
        processor = new DeliveryProcessor(inbox, clients, intake, review, new NoPsaTicketLookup(), settings, time, NullLogger<DeliveryProcessor>.Instance);
        items = new ReviewItems(review, inbox, clients);
        clients.SaveAsync(new ClientProfile("demo", "Demo"), default).GetAwaiter().GetResult();
        clients.SaveAsync(new ClientProfile("acme", "Acme"), default).GetAwaiter().GetResult();
    }

    private static WebhookDelivery Generic(string clientId = "demo", string eventId = "evt-1", string body = "It drops.") => new()
    {
        Source = "generic", EventId = eventId, ReceivedAt = "2026-12-07T11:59:00.000Z",
        Raw = JsonSerializer.Serialize(new { eventId, clientId, requester = new { email = "sam@demo.example" }, subject = "VPN drops", body }),
    };

    [Fact(Timeout = 10_000)]
    public async Task A_delivery_becomes_one_ticket_however_often_the_message_arrives()
    {
        var first = await processor.ProcessAsync(Generic(), workflow, default);
        var again = await processor.ProcessAsync(Generic(), workflow, default);

        var filed = Assert.IsType<DeliveryOutcome.Filed>(first);
        Assert.Equal(first, again);
        var ticket = Assert.Single(tickets.All);
        Assert.Equal((filed.TicketId, "webhook:evt-1", Channel.Webhook), (ticket.TicketId, ticket.ExternalId, ticket.Channel));
        Assert.Empty(review.Items);
    }

    [Fact(Timeout = 10_000)]
    public async Task Line_and_paragraph_separators_in_the_body_make_a_ticket()
    {
        var outcome = await processor.ProcessAsync(Generic(eventId: "sep", body: "one\u2028two\u2029three"), workflow, default);
        Assert.IsType<DeliveryOutcome.Filed>(outcome);
        Assert.Equal("one\u2028two\u2029three", Assert.Single(tickets.All).Body);
    }

    [Fact(Timeout = 10_000)]
    public async Task An_unknown_client_is_kept_whole_for_review_then_assigning_it_files_the_ticket_as_if_placed()
    {
        var delivery = Generic(clientId: "ghost");
        var outcome = await processor.ProcessAsync(delivery, workflow, default);
        Assert.Equal(new DeliveryOutcome.Review("no client \"ghost\" is set up here"), outcome);
        await processor.ProcessAsync(delivery, workflow, default); // kept once
        var item = Assert.Single(await items.ListAsync(default));
        Assert.Equal(("generic", "evt-1", delivery.Raw, "2026-12-07T11:59:00.000Z"), (item.Source, item.EventId, item.Raw, item.ReceivedAt));
        Assert.Empty(tickets.All);

        Assert.IsType<ReviewAction.Refused>(await items.AssignAsync(item.Id, "nobody", default));
        Assert.Equal(new ReviewAction.Done(item.Id), await items.AssignAsync(item.Id, "acme", default));
        Assert.Empty(review.Items);
        var requeued = Assert.Single(inbox.Sent);
        Assert.Equal("acme", requeued.AssignedClient);

        var filed = Assert.IsType<DeliveryOutcome.Filed>(await processor.ProcessAsync(requeued, workflow, default));
        var ticket = Assert.Single(tickets.All);
        Assert.Equal((filed.TicketId, "acme", "webhook:evt-1"), (ticket.TicketId, ticket.ClientId, ticket.ExternalId));
        Assert.IsType<ReviewAction.NotFound>(await items.AssignAsync(item.Id, "acme", default));
    }

    [Fact(Timeout = 10_000)]
    public async Task Discarding_removes_the_item()
    {
        await processor.ProcessAsync(Generic(clientId: "ghost"), workflow, default);
        var item = Assert.Single(await items.ListAsync(default));
        Assert.Equal(new ReviewAction.Done(item.Id), await items.DiscardAsync(item.Id, default));
        Assert.IsType<ReviewAction.NotFound>(await items.DiscardAsync(item.Id, default));
        Assert.Empty(await items.ListAsync(default));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_claimed_delivery_is_read_from_its_blob_handled_and_the_blob_dropped_once()
    {
        inbox.InlineLimit = 10;
        await inbox.SendAsync(Generic(body: new string('x', 20_000)), default);
        var claim = Assert.Single(inbox.Sent);
        Assert.NotNull(claim.Claim);

        Assert.IsType<DeliveryOutcome.Filed>(await processor.ProcessAsync(claim, workflow, default));
        Assert.Empty(inbox.Claims);
        Assert.Equal(20_000, Assert.Single(tickets.All).Body.Length);
        Assert.IsType<DeliveryOutcome.Ignored>(await processor.ProcessAsync(claim, workflow, default));
    }

    private static WebhookDelivery Halo(object payload, string eventId = "h1") => new() { Source = PsaVendors.HaloPsa, EventId = eventId, Raw = JsonSerializer.Serialize(payload) };

    [Fact(Timeout = 10_000)]
    public async Task A_halo_ticket_of_a_mapped_company_is_filed_and_an_unmapped_one_kept_for_review()
    {
        var filed = await processor.ProcessAsync(Halo(new
        {
            id = "h1", @event = "New Ticket Logged",
            ticket = new { id = 321, summary = "Printer\r\noffline", details = "Floor 3.", client_id = 250, user_name = "Ana", user_email = "ana@demo.example" },
        }), workflow, default);
        Assert.IsType<DeliveryOutcome.Filed>(filed);
        var ticket = Assert.Single(tickets.All);
        Assert.Equal(("demo", "Printer offline", "halopsa:321", Channel.HaloPsa), (ticket.ClientId, ticket.Subject, ticket.ExternalId, ticket.Channel));

        var unmapped = await processor.ProcessAsync(Halo(new
        {
            id = "h2", ticket = new { id = 322, summary = "x", client_id = 999, user_email = "a@other.example" },
        }, "h2"), workflow, default);
        Assert.Equal(new DeliveryOutcome.Review("halopsa company 999 is not mapped to a client"), unmapped);
        var item = Assert.Single(review.Items.Values);
        Assert.Equal(new ReviewAction.Done(item.Id), await items.AssignAsync(item.Id, "acme", default));
        Assert.IsType<DeliveryOutcome.Filed>(await processor.ProcessAsync(inbox.Sent.Last(), workflow, default));
        Assert.Contains(tickets.All, t => t is { ClientId: "acme", ExternalId: "halopsa:322" });
    }

    [Fact(Timeout = 10_000)]
    public async Task Autotiers_own_changes_updates_and_tickets_it_opened_are_left_alone()
    {
        Assert.IsType<DeliveryOutcome.Ignored>(await processor.ProcessAsync(Halo(new { ticket = new { id = 1 }, action = new { id = 5, who_agentid = 77 } }), workflow, default));
        Assert.IsType<DeliveryOutcome.Ignored>(await processor.ProcessAsync(Halo(new { @event = "Ticket Updated", ticket = new { id = 1 } }), workflow, default));
        Assert.IsType<DeliveryOutcome.Ignored>(await processor.ProcessAsync(Halo(new
        {
            ticket = new { id = 2, summary = "VPN (autotier T-1001)", client_id = 250, user_email = "a@demo.example" },
        }), workflow, default));
        Assert.Empty(tickets.All);
        Assert.Empty(review.Items);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_delivery_without_the_whole_ticket_goes_to_review_while_no_psa_api_is_connected()
    {
        var outcome = await processor.ProcessAsync(Halo(new { @event = "New Ticket Logged", ticket = new { id = 9 } }), workflow, default);
        var reviewed = Assert.IsType<DeliveryOutcome.Review>(outcome);
        Assert.Contains("no PSA API is connected", reviewed.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task Garbage_on_the_queue_is_kept_for_review_not_retried()
    {
        Assert.IsType<DeliveryOutcome.Review>(await processor.ProcessAsync(null, workflow, default));
        Assert.IsType<DeliveryOutcome.Review>(await processor.ProcessAsync(new WebhookDelivery { Source = "generic", EventId = "x", Raw = "{not json" }, workflow, default));
        Assert.IsType<DeliveryOutcome.Review>(await processor.ProcessAsync(new WebhookDelivery { Source = "connectwise", Raw = "{}" }, workflow, default));
        Assert.Equal(3, review.Items.Count);
    }
}
