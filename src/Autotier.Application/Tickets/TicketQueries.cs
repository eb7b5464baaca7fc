using Autotier.Application.Ports;
using Autotier.Domain.Tickets;

namespace Autotier.Application.Tickets;

/// <summary>What <c>GET /api/tickets/{ticketId}</c> returns.</summary>
public sealed class TicketQueries(ITicketStore tickets)
{
    public async Task<TicketLookup> GetAsync(string ticketId, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        if (!TicketIds.IsTicketId(ticketId)) return new TicketLookup.Invalid("ticketId: must look like T-1042");
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return new TicketLookup.NotFound($"ticket {ticketId} not found");
        var timelineTask = tickets.GetTimelineAsync(ticketId, cancellationToken);
        var statusTask = workflow.GetStatusAsync(ticketId, cancellationToken);
        await Task.WhenAll(timelineTask, statusTask);
        return new TicketLookup.Found(TicketView.From(ticket, await timelineTask, await statusTask));
    }
}

public abstract record TicketLookup
{
    private TicketLookup() { }

    public sealed record Found(TicketView Ticket) : TicketLookup;

    public sealed record Invalid(string Error) : TicketLookup;

    public sealed record NotFound(string Error) : TicketLookup;
}
