using Autotier.Application.Lifecycle;
using Autotier.Application.Ops;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Autotier.UnitTests.Application;

/// <summary>The ops page's retry and stop (issue #34 fix 2) and its incident link and unlink, over in-memory ports.</summary>
public sealed class OpsWorkflowActionsTests
{
    private readonly InMemoryTicketStore tickets = new();
    private readonly InMemoryIncidentStore incidents = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingWorkflow workflow = new();
    private readonly Control control = new();
    private readonly OpsWorkflowActions actions;

    public OpsWorkflowActionsTests() => actions = new OpsWorkflowActions(tickets, time, NullLogger<OpsWorkflowActions>.Instance);

    /// <summary>A Durable instance per ticket with a status; retry and stop move it as the adapter would.</summary>
    private sealed class Control : ITicketWorkflowControl
    {
        public Dictionary<string, string> Status { get; } = [];

        public List<(string TicketId, int Version)> Retries { get; } = [];

        public Task<WorkflowControlResult> RetryFailedAsync(string ticketId, int version, CancellationToken cancellationToken)
        {
            if (!Status.TryGetValue(ticketId, out var status)) return Task.FromResult(new WorkflowControlResult(false, null));
            if (status != "Failed") return Task.FromResult(new WorkflowControlResult(false, status));
            Retries.Add((ticketId, version));
            Status[ticketId] = "Running";
            return Task.FromResult(new WorkflowControlResult(true, status));
        }

        public Task<WorkflowControlResult> StopAsync(string ticketId, string reason, CancellationToken cancellationToken)
        {
            if (!Status.TryGetValue(ticketId, out var status)) return Task.FromResult(new WorkflowControlResult(false, null));
            if (status is "Completed" or "Terminated") return Task.FromResult(new WorkflowControlResult(false, status));
            if (status != "Failed") Status[ticketId] = "Terminated";
            return Task.FromResult(new WorkflowControlResult(true, status));
        }
    }

    private async Task<string> StoredAsync(string subject = "Outlook keeps asking for my password") =>
        (await tickets.CreateAsync(new NewTicket("demo", new Requester("Sam", "sam@demo.example"), subject, "Since this morning.", null, Channel.Api), time.GetUtcNow(), default)).Ticket.TicketId;

    [Fact(Timeout = 10_000)]
    public async Task Only_a_failed_workflow_is_retried_at_todays_version_and_the_timeline_says_who()
    {
        var id = await StoredAsync();
        control.Status[id] = "Running";
        var refused = await actions.RetryAsync(id, "kim", workflow, control, default);
        Assert.Equal(new OpsRefusal(409, $"the workflow of {id} is running; only a failed workflow is retried"), refused);

        control.Status[id] = "Failed";
        Assert.Null(await actions.RetryAsync(id, "kim", workflow, control, default));
        Assert.Equal([(id, TicketIntake.WorkflowVersion)], control.Retries);
        Assert.Contains(await tickets.GetTimelineAsync(id, default), l => l.Note == "Workflow started again by kim after it failed");
        Assert.Equal(409, (await actions.RetryAsync(id, "kim", workflow, control, default))!.Status);
        Assert.Equal(404, (await actions.RetryAsync("T-9999", "kim", workflow, control, default))!.Status);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_retry_of_an_open_ticket_whose_workflow_never_started_starts_it_and_a_finished_one_without_history_is_refused()
    {
        var id = await StoredAsync();
        Assert.Null(await actions.RetryAsync(id, "kim", workflow, control, default));
        Assert.Equal(id, Assert.Single(workflow.Requests).TicketId);

        var old = await StoredAsync("Old one");
        await tickets.UpdateAsync(old, t => t with { Stage = Stage.Closed }, default);
        Assert.Equal(409, (await actions.RetryAsync(old, "kim", workflow, control, default))!.Status);
        Assert.Single(workflow.Requests);
    }

    [Fact(Timeout = 10_000)]
    public async Task Stopping_ends_a_running_workflow_closes_the_ticket_here_with_an_owner_and_a_second_stop_is_refused()
    {
        var id = await StoredAsync();
        control.Status[id] = "Running";
        Assert.Null(await actions.StopAsync(id, "kim", "Handled by phone", control, default));
        Assert.Equal("Terminated", control.Status[id]);
        var ticket = (await tickets.GetAsync(id, default))!;
        Assert.Equal(Stage.Closed, ticket.Stage);
        Assert.Equal("kim", ticket.Owner);
        Assert.Contains(await tickets.GetTimelineAsync(id, default), l => l.Note == "Workflow stopped by kim; the ticket is closed here and handled by hand: Handled by phone");
        Assert.Equal(new OpsRefusal(409, $"ticket {id} is already closed"), await actions.StopAsync(id, "kim", "again", control, default));

        // A failed workflow has nothing running: stopping it closes the ticket all the same.
        var failed = await StoredAsync("Another");
        control.Status[failed] = "Failed";
        Assert.Null(await actions.StopAsync(failed, "kim", "Done by hand", control, default));
        Assert.Equal(Stage.Closed, (await tickets.GetAsync(failed, default))!.Stage);
        // One that finished on its own is not stopped (the ticket was finished by it).
        var done = await StoredAsync("Done");
        control.Status[done] = "Completed";
        Assert.Equal(409, (await actions.StopAsync(done, "kim", "late", control, default))!.Status);
    }

    [Fact(Timeout = 10_000)]
    public async Task Linking_by_hand_joins_an_open_incident_of_the_tickets_own_client_only_and_a_lead_others_follow_cannot_leave()
    {
        var linking = new IncidentLinking(tickets, incidents);
        var lead = await StoredAsync("Internet is down");
        var joiner = await StoredAsync("Phones dead");
        var now = time.GetUtcNow();
        await incidents.TryCreateAsync(new Incident("INC-" + lead, "demo", Incidents.Outage, lead, now, now, [lead], "internet down"), default);
        await tickets.UpdateAsync(lead, t => t with { IncidentId = "INC-" + lead }, default);
        await incidents.TryCreateAsync(new Incident("INC-other", "other", Incidents.Outage, "T-5000", now, now, ["T-5000"], "down"), default);
        await incidents.TryCreateAsync(new Incident("INC-closed", "demo", Incidents.Outage, "T-5001", now, now, ["T-5001"], "down", Closed: true), default);

        Assert.Equal("incident INC-other is not one of demo's", (await linking.LinkToAsync(joiner, "INC-other", "kim", now, default)).Refusal);
        Assert.Equal("incident INC-closed is closed", (await linking.LinkToAsync(joiner, "INC-closed", "kim", now, default)).Refusal);
        var (link, _) = await linking.LinkToAsync(joiner, "INC-" + lead, "kim", now, default);
        Assert.Equal(new IncidentLink("INC-" + lead, lead), link);
        // The same link again changes nothing.
        Assert.Equal(link, (await linking.LinkToAsync(joiner, "INC-" + lead, "kim", now, default)).Link);
        Assert.Equal([lead, joiner], (await incidents.GetAsync("demo", "INC-" + lead, default))!.Members);

        Assert.StartsWith($"ticket {lead} leads incident INC-{lead}", await linking.UnlinkAsync(lead, "kim", now, default), StringComparison.Ordinal);
        Assert.Null(await linking.UnlinkAsync(joiner, "kim", now, default));
        Assert.Null((await tickets.GetAsync(joiner, default))!.IncidentId);
        Assert.Equal($"ticket {joiner} is in no incident", await linking.UnlinkAsync(joiner, "kim", now, default));
        // A lead alone may leave: its incident closes with nobody in it.
        Assert.Null(await linking.UnlinkAsync(lead, "kim", now, default));
        var closed = (await incidents.GetAsync("demo", "INC-" + lead, default))!;
        Assert.True(closed.Closed);
        Assert.Empty(closed.Members);
    }
}
