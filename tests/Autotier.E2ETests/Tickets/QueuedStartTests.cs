using Autotier.Application.Ports;
using Autotier.Domain.Tickets;
using Autotier.E2ETests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Autotier.E2ETests.Tickets;

/// <summary>A start that could not be made at intake goes through the start queue and its queue-triggered function.</summary>
[Collection(LocalHostFixture.Collection)]
public sealed class QueuedStartTests(LocalHostFixture host)
{
    [Fact(Timeout = 60_000)]
    public async Task A_queued_start_starts_the_tickets_workflow_which_sends_the_acknowledgement_once()
    {
        var services = host.App.Services;
        var email = $"queued.{Guid.NewGuid():N}@demo.example";
        var (ticket, _) = await services.GetRequiredService<ITicketStore>().CreateAsync(
            new NewTicket("demo", new Requester(null, email), "Queued start", "x", null, Channel.Api), DateTimeOffset.UtcNow, default);

        var starts = services.GetRequiredService<ITicketStarts>();
        await starts.EnqueueAsync(new StartTicketMessage(ticket.TicketId, "demo"), default);
        await starts.EnqueueAsync(new StartTicketMessage(ticket.TicketId, "demo"), default);

        await host.WaitForRestAsync($"ticket-{ticket.TicketId}", TimeSpan.FromSeconds(45));
        // No acknowledgement at intake: the workflow's activity sent it, once, whatever the queue repeated.
        var outbox = await services.GetRequiredService<IDevOutbox>().ListAsync(email, default);
        Assert.Single(outbox, m => m.Subject.Contains("We've got your request", StringComparison.Ordinal));
    }
}
