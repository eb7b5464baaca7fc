using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;

namespace Autotier.Application.Ops;

/// <summary>One row of the ops list: the ticket (absent for a workflow whose ticket is not stored), its workflow and SLA.</summary>
public sealed record OpsRow(string TicketId, Ticket? Ticket, WorkflowSummary? Workflow, bool Overdue, SlaStanding Sla)
{
    public bool IsP1 => Ticket?.Classification?.Priority == Priorities.P1;
}

/// <param name="Source"><c>window</c>: the newest tickets; <c>workflows</c>: the instances Durable reports failed or live.</param>
/// <param name="Truncated">More matched than the limit shows.</param>
public sealed record OpsList(IReadOnlyList<OpsRow> Rows, string? Next, string Source, bool Truncated, int ScanLimit, DateTimeOffset Now);

public abstract record OpsListResult
{
    private OpsListResult() { }

    public sealed record Listed(OpsList List) : OpsListResult;

    public sealed record UnknownClient(string Error) : OpsListResult;
}

/// <summary>
/// The ops list (TS <c>listForOps</c>), with issue #34's fix: every row carries its SLA standing,
/// P1s come first, then by priority and by the next SLA due time, and the list can be narrowed to
/// the SLAs breached or at risk. Reads stay bounded: without a workflow filter, the newest tickets
/// (at most <see cref="ScanLimit"/> looked through per page) and their workflows' instances; with one (failed, overdue, or the SLA filter), one
/// Durable query for the failed or live instances and at most <see cref="OpsFilters.MaxLimit"/>
/// of their tickets, so an old breach is never out of view.
/// </summary>
public sealed class OpsListing(IOpsQuery query, IClientStore clients, TimeProvider time)
{
    /// <summary>Ticket numbers a filtered page looks through at most (as the TS stage filter).</summary>
    public const int ScanLimit = 500;

    public async Task<OpsListResult> ListAsync(OpsFilters filters, IWorkflowMonitor monitor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(monitor);
        var now = time.GetUtcNow();
        if (filters.Client is { } client && await clients.GetAsync(client, cancellationToken) is null)
            return new OpsListResult.UnknownClient($"client {client} is not set up");
        bool Matches(Ticket t) => (filters.Client is null || t.ClientId == filters.Client) && (filters.Stage is null || t.Stage == filters.Stage);

        if (filters.Failed || filters.Overdue || filters.Attention)
        {
            // An SLA that is breached or at risk belongs to a ticket still open, so to a live workflow.
            var instances = await monitor.ListAsync(filters.Failed ? ["Failed"] : WorkflowSummary.Live, cancellationToken);
            var wanted = instances
                .Where(i => !filters.Overdue || i.IsOverdue(now))
                .OrderByDescending(i => Number(i.TicketId))
                .Take(OpsFilters.MaxLimit)
                .ToList();
            var tickets = (await query.GetManyAsync([.. wanted.Select(i => i.TicketId)], cancellationToken)).ToDictionary(t => t.TicketId);
            var rows = wanted
                .Select(i => Row(i.TicketId, tickets.GetValueOrDefault(i.TicketId), i, now))
                .Where(r => r.Ticket is null ? filters.Client is null && filters.Stage is null && !filters.Attention : Matches(r.Ticket))
                .Where(r => !filters.Attention || r.Sla.NeedsAttention)
                .ToList();
            return new OpsListResult.Listed(new OpsList(Sort(rows).Take(filters.Limit).ToList(), null, "workflows", rows.Count > filters.Limit, ScanLimit, now));
        }

        var narrowed = filters.Client is not null || filters.Stage is not null;
        var page = await query.NewestAsync(filters.Before, filters.Limit, narrowed ? ScanLimit : filters.Limit, Matches, cancellationToken);
        var workflows = (await monitor.GetManyAsync([.. page.Tickets.Select(t => t.TicketId)], cancellationToken)).ToDictionary(w => w.TicketId, StringComparer.Ordinal);
        var listed = page.Tickets.Select(t => Row(t.TicketId, t, workflows.GetValueOrDefault(t.TicketId), now)).ToList();
        return new OpsListResult.Listed(new OpsList(Sort(listed).ToList(), page.Next, "window", page.Next is not null, ScanLimit, now));
    }

    private static OpsRow Row(string ticketId, Ticket? ticket, WorkflowSummary? workflow, DateTimeOffset now) => new(
        ticketId,
        ticket,
        workflow,
        workflow?.IsOverdue(now) ?? false,
        ticket is null ? new SlaStanding(SlaState.None, null, null) : SlaStanding.Of(ticket.Sla, ticket.Stage, ticket.CreatedAt, now));

    /// <summary>
    /// P1s first, then by priority, then by the next SLA due time (a breach's is past, so it leads
    /// its priority), then newest first; tickets not yet classified after the P4s.
    /// </summary>
    public static IEnumerable<OpsRow> Sort(IEnumerable<OpsRow> rows) => rows
        .OrderBy(r => r.Ticket?.Classification?.Priority is { } p && Priorities.All.Contains(p) ? Priorities.All.ToList().IndexOf(p) : Priorities.All.Count)
        .ThenBy(r => r.Sla.NextDue ?? DateTimeOffset.MaxValue)
        .ThenByDescending(r => Number(r.TicketId));

    private static long Number(string ticketId) => long.TryParse(ticketId.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
}
