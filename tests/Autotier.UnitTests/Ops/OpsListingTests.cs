using Autotier.Application.Ops;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Ops;

public sealed class OpsListingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private sealed class Tickets(params Ticket[] tickets) : IOpsQuery
    {
        public int Scanned { get; private set; }

        public Task<OpsTicketPage> NewestAsync(string? before, int limit, int scanLimit, Func<Ticket, bool> keep, CancellationToken cancellationToken)
        {
            var newest = tickets.OrderByDescending(t => long.Parse(t.TicketId[2..], System.Globalization.CultureInfo.InvariantCulture)).Take(scanLimit).ToList();
            Scanned = newest.Count;
            return Task.FromResult(new OpsTicketPage([.. newest.Where(keep).Take(limit)], null));
        }

        public Task<IReadOnlyList<Ticket>> GetManyAsync(IReadOnlyCollection<string> ticketIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Ticket>>([.. tickets.Where(t => ticketIds.Contains(t.TicketId))]);
    }

    private sealed class Monitor(params WorkflowSummary[] instances) : IWorkflowMonitor
    {
        public List<IReadOnlyCollection<string>> Asked { get; } = [];

        public Task<IReadOnlyList<WorkflowSummary>> ListAsync(IReadOnlyCollection<string> statuses, CancellationToken cancellationToken)
        {
            Asked.Add(statuses);
            return Task.FromResult<IReadOnlyList<WorkflowSummary>>([.. instances.Where(i => statuses.Contains(i.RuntimeStatus))]);
        }

        public Task<IReadOnlyList<WorkflowSummary>> GetManyAsync(IReadOnlyCollection<string> ticketIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<WorkflowSummary>>([.. instances.Where(i => ticketIds.Contains(i.TicketId))]);

        public Task<WorkflowDetails?> DetailsAsync(string ticketId, CancellationToken cancellationToken) => Task.FromResult<WorkflowDetails?>(null);
    }

    /// <summary>A ticket filed <paramref name="agoMinutes"/> before now, with a standard SLA (response in 60 min, resolution in 240) and no answer yet.</summary>
    private static Ticket T(int n, string priority, int agoMinutes, string client = "demo", Stage stage = Stage.Escalated)
    {
        var filed = Now.AddMinutes(-agoMinutes);
        return new Ticket($"T-{n}", client, new Requester("Ana", "ana@demo.example"), $"subject {n}", "body", null, Channel.Api, stage, filed, filed)
        {
            Classification = new TicketClassification("network", priority, 0.9, Routes.Escalate, 2, []),
            Sla = new SlaView("standard", filed.AddMinutes(60), null, filed.AddMinutes(240), null, false, false, false),
        };
    }

    private static WorkflowSummary Live(string id) => new(id, "Running", "escalated", null, null, Now.AddHours(-5), Now);

    private static async Task<OpsListing> ListingAsync(IOpsQuery query)
    {
        var clients = new InMemoryClientStore();
        await clients.SaveAsync(new ClientProfile("demo", "Demo Ltd"), default);
        return new OpsListing(query, clients, new FakeTimeProvider(Now));
    }

    [Fact(Timeout = 10_000)]
    public async Task P1s_come_first_then_by_priority_then_by_the_next_SLA_due_time()
    {
        // T-1005 is a P3 breached long ago; T-1002 a P2 due soonest of the P2s; T-1001 the one P1.
        var query = new Tickets(T(1001, "P1", 5), T(1002, "P2", 50), T(1003, "P2", 10), T(1004, "P4", 1), T(1005, "P3", 300));
        var listing = await ListingAsync(query);

        var list = ((OpsListResult.Listed)await listing.ListAsync(OpsFilters.None, new Monitor(), default)).List;

        Assert.Equal(["T-1001", "T-1002", "T-1003", "T-1005", "T-1004"], list.Rows.Select(r => r.TicketId));
        Assert.True(list.Rows[0].IsP1);
        Assert.Equal(SlaState.AtRisk, list.Rows[1].Sla.State);
        Assert.Equal(SlaState.Breached, list.Rows[3].Sla.State);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_SLA_filter_starts_from_the_live_workflows_so_an_old_breach_is_never_out_of_view()
    {
        var old = T(1001, "P3", 600);
        var query = new Tickets(old, T(1500, "P2", 50), T(1501, "P2", 5), T(1502, "P2", 600, stage: Stage.Resolved));
        var monitor = new Monitor(Live("T-1001"), Live("T-1500"), Live("T-1501"));
        var listing = await ListingAsync(query);

        var list = ((OpsListResult.Listed)await listing.ListAsync(OpsFilters.None with { Attention = true }, monitor, default)).List;

        Assert.Equal(["T-1500", "T-1001"], list.Rows.Select(r => r.TicketId));
        Assert.Equal("workflows", list.Source);
        Assert.Equal(WorkflowSummary.Live, Assert.Single(monitor.Asked));
    }

    [Fact(Timeout = 10_000)]
    public async Task Overdue_stays_its_own_filter_a_stuck_workflow_not_an_SLA()
    {
        var stuck = new WorkflowSummary("T-1002", "Suspended", "escalated", Now.AddMinutes(-1), "tierLimit", Now.AddHours(-1), Now.AddHours(-1));
        var query = new Tickets(T(1001, "P2", 300), T(1002, "P3", 5));
        var listing = await ListingAsync(query);

        var list = ((OpsListResult.Listed)await listing.ListAsync(OpsFilters.None with { Overdue = true }, new Monitor(Live("T-1001"), stuck), default)).List;

        var row = Assert.Single(list.Rows);
        Assert.Equal("T-1002", row.TicketId);
        Assert.True(row.Overdue);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_client_nobody_set_up_is_named_and_a_client_filter_scans_a_bounded_window()
    {
        var query = new Tickets([.. Enumerable.Range(1001, 700).Select(n => T(n, "P3", 5, client: n % 2 == 0 ? "demo" : "other"))]);
        var listing = await ListingAsync(query);

        Assert.Equal("client nobody is not set up", Assert.IsType<OpsListResult.UnknownClient>(await listing.ListAsync(OpsFilters.None with { Client = "nobody" }, new Monitor(), default)).Error);
        var list = ((OpsListResult.Listed)await listing.ListAsync(OpsFilters.None with { Client = "demo", Limit = 500 }, new Monitor(), default)).List;
        Assert.Equal(OpsListing.ScanLimit, query.Scanned);
        Assert.Equal(250, list.Rows.Count);
        Assert.All(list.Rows, r => Assert.Equal("demo", r.Ticket!.ClientId));
    }
}
