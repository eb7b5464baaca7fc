using Autotier.Application.Ports;
using Autotier.Application.Psa;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Psa;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Durable;
using Autotier.TestSupport.Psa;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.UnitTests.Workflow;

/// <summary>
/// The PSA as the system of record both ways, through the real orchestration and activities on the
/// fake clock: what the lifecycle writes to the PSA, and what an engineer does there coming back.
/// </summary>
public sealed class PsaLifecycleTests : IAsyncLifetime
{
    private static readonly PsaMapping Mapping = PsaMapping.Parse("""
        {"companies": {"42": "demo"}, "tiers": {"1": "11", "2": "12", "3": "13"},
         "statuses": {"new": "1", "in_progress": "2", "waiting_on_requester": "3", "resolved": "5", "closed": "6"}, "selfIds": ["autotier-api"]}
        """);

    private readonly InMemoryPsaApi api = new();
    private readonly InMemoryTicketLinks links = new();
    private LifecycleHarness h = null!;

    public async Task InitializeAsync() => h = await LifecycleHarness.StartAsync(psa: harness =>
        new PsaWriteBack(new PsaConnection(api, Mapping), harness.Tickets, links, harness.Alerts, harness.Clock, NullLogger<PsaWriteBack>.Instance));

    public async Task DisposeAsync() => await h.DisposeAsync();

    private sealed class HarnessWorkflow(LifecycleHarness h) : ITicketWorkflow
    {
        public Task<bool> EnsureStartedAsync(TicketWorkflowInput input, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<WorkflowStatus?> GetStatusAsync(string ticketId, CancellationToken cancellationToken) => Task.FromResult<WorkflowStatus?>(null);

        public async Task<RaiseResult> RaiseAsync(string ticketId, TicketEvent ticketEvent, CancellationToken cancellationToken)
        {
            await h.RaiseAsync(ticketId, ticketEvent);
            return RaiseResult.Delivered;
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task An_api_ticket_is_opened_once_and_its_guide_escalation_plan_and_fix_are_written_back_as_internal_notes_and_statuses()
    {
        var id = await h.FileAsync(LifecycleTests.Password);
        var psa = Assert.Single(api.Tickets.Values);
        Assert.Equal($"I forgot my password (autotier {id})", psa.Ticket.Summary);
        Assert.Equal("3", psa.Status); // the guide went out: waiting on the requester

        await h.RaiseAsync(id, TicketEvent.ConfirmationOf("no"));
        Assert.Equal(("2", "11"), (psa.Status, psa.Queue));
        Assert.Contains(psa.Activity, a => a.Text.StartsWith($"autotier escalated {id} to tier 1", StringComparison.Ordinal) && a.Text.EndsWith(']'));

        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Plan) { By = "alex", Note = "checking AD sync", PublicNote = "I'm on it." });
        await h.RaiseAsync(id, new TicketEvent(TicketEvent.Resolved) { By = "alex", Note = "unlocked in AD", PublicNote = "Your account is unlocked." });

        Assert.Equal("5", psa.Status);
        Assert.Single(api.Tickets);
        Assert.Single(api.Calls, c => c == "create");
        Assert.Collection(psa.Activity.Select(a => a.Text.Split('\n')[0]),
            t => Assert.StartsWith("autotier escalated", t, StringComparison.Ordinal),
            t => Assert.StartsWith("Plan recorded by alex (tier 1): checking AD sync", t, StringComparison.Ordinal),
            t => Assert.StartsWith("Resolved (resolved by engineer): unlocked in AD", t, StringComparison.Ordinal));
        Assert.Equal(Stage.Resolved, (await h.TicketAsync(id)).Stage);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_ticket_handed_up_for_want_of_a_plan_moves_to_the_next_tiers_board_with_a_note()
    {
        var id = await h.FileAsync(LifecycleTests.Server with { Tier = 1 }, "File server down", "The S: drive is gone for everyone.");
        var psa = Assert.Single(api.Tickets.Values);
        Assert.Equal("11", psa.Queue);

        await h.AdvanceAsync(TimeSpan.FromMinutes(31));

        Assert.Equal(2, (await h.TicketAsync(id)).Tier);
        Assert.Equal("12", psa.Queue);
        Assert.Contains(psa.Activity, a => a.Text.StartsWith("No plan from tier 1 within", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_close_in_the_psa_resolves_the_ticket_mails_the_requester_the_public_note_and_writes_nothing_back_over_it()
    {
        var id = await h.FileAsync(LifecycleTests.Server with { Tier = 1 }, "File server down", "The S: drive is gone.");
        var psa = Assert.Single(api.Tickets.Values);
        var notesBefore = psa.Activity.Count;
        psa.Activity.Add(new PsaActivity("900", PsaActivityKind.Note, "Restarted the file server service", false, true, "alex", "Alex Tech"));
        psa.Activity.Add(new PsaActivity("901", PsaActivityKind.Note, "The S: drive is back.", true, true, "alex", "Alex Tech"));
        psa.Status = "6";
        var changes = new PsaChanges(h.Tickets, links, new InMemoryPsaSeen(), h.Alerts, h.Clock, NullLogger<PsaChanges>.Instance, new PsaConnection(api, Mapping));

        var result = await changes.ApplyAsync(new PsaChange(PsaVendors.ConnectWise, psa.Ticket.Id, "alex"), new HarnessWorkflow(h), default);

        Assert.Equal([TicketEvent.Resolved], result.Delivered);
        var ticket = await h.TicketAsync(id);
        Assert.Equal(Stage.Resolved, ticket.Stage);
        Assert.Equal("Alex Tech", ticket.Resolution!.Engineer);
        Assert.Contains(h.MailsTo(), m => m.Text.Contains("The S: drive is back.", StringComparison.Ordinal));
        Assert.DoesNotContain(h.MailsTo(), m => m.Text.Contains("Restarted the file server", StringComparison.Ordinal));
        // The engineer's close stands: no resolution note, no status written over it.
        Assert.Equal("6", psa.Status);
        Assert.Equal(notesBefore + 2, psa.Activity.Count);
    }
}
