using Autotier.Application.Ports;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;

namespace Autotier.Application.Ops;

/// <summary>Everything a ticket's ops page shows.</summary>
public sealed record OpsTicketView(Ticket Ticket, IReadOnlyList<TimelineEntry> Timeline, WorkflowDetails? Workflow, SlaStanding Sla, DateTimeOffset Now)
{
    /// <summary>The ticket's client, for the settings that decided its course (issue #34 fix 6); null when it is not set up any more.</summary>
    public Domain.Clients.ClientProfile? Client { get; init; }

    /// <summary>The client's open incidents, for the "link to an incident" form.</summary>
    public IReadOnlyList<Domain.Lifecycle.Incident> OpenIncidents { get; init; } = [];

    /// <summary>The ticket's alerts and what became of each (delivered, gathered, failing), oldest first.</summary>
    public IReadOnlyList<AlertDeliveryRecord> Alerts { get; init; } = [];
}

/// <summary>A ticket's ops page (TS <c>ticketForOps</c>): the ticket, its timeline, its Durable instance with history.</summary>
public sealed class OpsTicketQuery(ITicketStore tickets, IClientStore clients, IIncidentStore incidents, IAlertDeliveryLog alerts, TimeProvider time)
{
    public async Task<OpsTicketView?> GetAsync(string ticketId, IWorkflowMonitor monitor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return null;
        var timeline = tickets.GetTimelineAsync(ticketId, cancellationToken);
        var workflow = monitor.DetailsAsync(ticketId, cancellationToken);
        var client = clients.GetAsync(ticket.ClientId, cancellationToken);
        var open = incidents.OpenAsync(ticket.ClientId, cancellationToken);
        var alerted = alerts.ForTicketAsync(ticketId, cancellationToken);
        await Task.WhenAll(timeline, workflow, client, open, alerted);
        var now = time.GetUtcNow();
        return new OpsTicketView(ticket, await timeline, await workflow, SlaStanding.Of(ticket.Sla, ticket.Stage, ticket.CreatedAt, now), now)
        {
            Client = await client,
            OpenIncidents = await open,
            Alerts = await alerted,
        };
    }
}
