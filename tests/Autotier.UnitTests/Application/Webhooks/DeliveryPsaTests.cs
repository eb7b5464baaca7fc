using Autotier.Application.Assistant;
using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Application.Tickets;
using Autotier.Application.Webhooks;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Psa;
using Autotier.Domain.Tickets;
using Autotier.Domain.Webhooks;
using Autotier.TestSupport.Fakes;
using Autotier.TestSupport.Psa;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application.Webhooks;

/// <summary>
/// Webhook intake with the PSA connected: an Autotask delivery (which never carries the whole
/// ticket) is completed from the PSA's own copy, and an update to one of autotier's tickets reaches
/// its workflow through <see cref="PsaChanges"/>.
/// </summary>
public sealed class DeliveryPsaTests
{
    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryClientStore clients = new();
    private readonly RecordingWorkflow workflow = new();
    private readonly InMemoryTicketLinks links = new();
    private readonly InMemoryPsaApi api = new(Autotier.Domain.Psa.PsaVendors.Autotask);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly DeliveryProcessor processor;

    public DeliveryPsaTests()
    {
        var intake = new TicketIntake(
            tickets, clients, new AcknowledgeAtOnce(new RecordingMail(), time, NullLogger<AcknowledgeAtOnce>.Instance, time),
            new RecordingStarts(), new RecordingClassifier(), NullAssistant.Instance, time, NullLogger<TicketIntake>.Instance);
        var connection = new PsaConnection(api, PsaMapping.Parse("""{"companies": {"42": "demo"}, "statuses": {"resolved": "5"}, "selfIds": ["99"]}"""));
        var changes = new PsaChanges(tickets, links, new InMemoryPsaSeen(), new RecordingNotifier(), time, NullLogger<PsaChanges>.Instance, connection);
        var settings = new WebhookSettings(["s"], Autotier.Domain.Webhooks.PsaVendors.Autotask, null, [], PsaIntakeMapping.Parse("""{"companies":{"42":"demo"},"selfIds":["99"]}"""));
        processor = new DeliveryProcessor(new InMemoryDeliveryInbox(), clients, intake, new InMemoryReviewStore(), new PsaApiTicketLookup(connection),
            settings, time, NullLogger<DeliveryProcessor>.Instance, changes);
        clients.SaveAsync(new ClientProfile("demo", "Demo"), default).GetAwaiter().GetResult();
    }

    private static WebhookDelivery Autotask(string action, string id, int sequence) => new()
    {
        Source = "autotask", EventId = $"g-1:{sequence}", ReceivedAt = "2026-12-07T11:59:00.000Z",
        Raw = $$"""{"Action":"{{action}}","Guid":"g-1","EntityType":"Ticket","Id":{{id}},"SequenceNumber":{{sequence}},"PersonID":7}""",
    };

    [Fact(Timeout = 10_000)]
    public async Task An_autotask_ticket_is_read_from_the_psa_and_its_close_there_resolves_it_here()
    {
        api.Add("601", "Outlook keeps crashing", "42", "sam@demo.example");

        var created = await processor.ProcessAsync(Autotask("Create", "601", 1), workflow, default);

        var filed = Assert.IsType<DeliveryOutcome.Filed>(created);
        var ticket = Assert.Single(tickets.All);
        Assert.Equal(("Outlook keeps crashing", "sam@demo.example"), (ticket.Subject, ticket.Requester.Email));
        // In Azure the ticket store's external-id rows are the links (TableTicketLinks); the fakes are separate.
        await links.LinkAsync("demo", ticket.ExternalId!, ticket.TicketId, default);

        api.Tickets["601"].Closed = true;
        var updated = await processor.ProcessAsync(Autotask("Update", "601", 2), workflow, default);

        var applied = Assert.IsType<DeliveryOutcome.Applied>(updated);
        Assert.Equal(filed.TicketId, applied.TicketId);
        var (to, e) = Assert.Single(workflow.Raised);
        Assert.Equal((filed.TicketId, TicketEvent.Resolved), (to, e.Kind));
    }
}
