using Autotier.Application.Ports;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;

namespace Autotier.Application.Ops;

/// <summary>Everything a ticket's ops page shows.</summary>
public sealed record OpsTicketView(Ticket Ticket, IReadOnlyList<TimelineEntry> Timeline, WorkflowDetails? Workflow, SlaStanding Sla, DateTimeOffset Now);

/// <summary>A ticket's ops page (TS <c>ticketForOps</c>): the ticket, its timeline, its Durable instance with history.</summary>
public sealed class OpsTicketQuery(ITicketStore tickets, TimeProvider time)
{
    public async Task<OpsTicketView?> GetAsync(string ticketId, IWorkflowMonitor monitor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return null;
        var timeline = tickets.GetTimelineAsync(ticketId, cancellationToken);
        var workflow = monitor.DetailsAsync(ticketId, cancellationToken);
        await Task.WhenAll(timeline, workflow);
        var now = time.GetUtcNow();
        return new OpsTicketView(ticket, await timeline, await workflow, SlaStanding.Of(ticket.Sla, ticket.Stage, ticket.CreatedAt, now), now);
    }
}
