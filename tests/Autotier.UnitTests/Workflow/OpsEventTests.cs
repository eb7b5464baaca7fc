using Autotier.Application.Lifecycle;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Durable;
using Xunit;
using static Autotier.UnitTests.Workflow.LifecycleTests;

namespace Autotier.UnitTests.Workflow;

/// <summary>
/// What the workflow does with the ops page's events (issue #34 fix 2): an engineer's SLA pause and
/// resume, and an incident link or unlink made by hand, on the fake clock.
/// </summary>
public sealed class OpsEventTests : IAsyncLifetime
{
    private LifecycleHarness h = null!;

    public async Task InitializeAsync() => h = await LifecycleHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    private IncidentLinking Linking => new(h.Tickets, h.Incidents);

    private static TicketEvent Hold(bool waiting) => new(TicketEvent.Waiting) { IsWaiting = waiting, By = "kim", Source = "ops" };

    [Fact(Timeout = 60_000)]
    public async Task A_pause_from_the_ops_page_stops_the_resolution_clock_until_the_resume_and_says_who_on_the_timeline()
    {
        var id = await h.FileAsync(Server, "File server down", "The S: drive is gone.");
        var due = (await h.TicketAsync(id)).Sla!.ResolutionDue!.Value;

        await h.RaiseAsync(id, Hold(true));
        var paused = await h.TicketAsync(id);
        Assert.True(paused.Sla!.Paused);
        Assert.Contains(await h.TimelineAsync(id), l => l.Note == "kim paused the SLA clock on the ops page: waiting on the requester");

        // Two hours on hold: no breach while the clock stands, and the due time moves by those hours.
        await h.AdvanceAsync(TimeSpan.FromHours(2));
        await h.RaiseAsync(id, Hold(false));
        var resumed = await h.TicketAsync(id);
        Assert.False(resumed.Sla!.Paused);
        Assert.Contains(await h.TimelineAsync(id), l => l.Note == "kim resumed the SLA clock on the ops page");
        Assert.True(resumed.Sla.ResolutionDue > due, $"due {resumed.Sla.ResolutionDue:O}, was {due:O}");
        Assert.DoesNotContain(h.Alerts.Alerts, a => a.TicketId == id && a.Kind == "sla_breach");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_follower_unlinked_by_hand_gets_its_own_tier_limit_and_is_not_resolved_with_the_lead()
    {
        var lead = await h.FileAsync(Outage, "Internet is down", "Nothing loads.", requester: "a@demo.example");
        var follower = await h.FileAsync(Outage, "No internet in the office", "Nothing loads.", requester: "b@demo.example");
        Assert.Equal((await h.TicketAsync(lead)).IncidentId, (await h.TicketAsync(follower)).IncidentId);
        var (quiet, _) = await h.StatusAsync(follower);
        Assert.NotEqual("tierLimit", quiet!.NextDeadlineIs);

        Assert.Null(await Linking.UnlinkAsync(follower, "kim", h.Now, default));
        await h.RaiseAsync(follower, new TicketEvent(TicketEvent.IncidentChanged) { By = "kim", Source = "ops" });
        var (own, _) = await h.StatusAsync(follower);
        Assert.Equal("tierLimit", own!.NextDeadlineIs);

        await h.RaiseAsync(lead, new TicketEvent(TicketEvent.Resolved) { By = "kim", Note = "ISP", PublicNote = "It's back." });
        await h.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(Stage.Resolved, (await h.TicketAsync(lead)).Stage);
        Assert.Equal(Stage.Escalated, (await h.TicketAsync(follower)).Stage);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_ticket_linked_by_hand_goes_quiet_and_is_resolved_with_the_lead()
    {
        var lead = await h.FileAsync(Outage, "Internet is down", "Nothing loads since nine.", requester: "a@demo.example");
        var phones = await h.FileAsync(Outage, "Phones dead", "No calls in or out on the desk phones.", requester: "b@demo.example");
        var incident = (await h.TicketAsync(lead)).IncidentId!;
        Assert.NotEqual(incident, (await h.TicketAsync(phones)).IncidentId);

        Assert.Equal($"ticket {phones} is in incident {(await h.TicketAsync(phones)).IncidentId}; unlink it first", (await Linking.LinkToAsync(phones, incident, "kim", h.Now, default)).Refusal);
        Assert.Null(await Linking.UnlinkAsync(phones, "kim", h.Now, default));
        var (link, refusal) = await Linking.LinkToAsync(phones, incident, "kim", h.Now, default);
        Assert.Null(refusal);
        await h.RaiseAsync(phones, new TicketEvent(TicketEvent.IncidentChanged) { Incident = link, By = "kim", Source = "ops" });
        var (status, _) = await h.StatusAsync(phones);
        Assert.NotEqual("tierLimit", status!.NextDeadlineIs);

        await h.RaiseAsync(lead, new TicketEvent(TicketEvent.Resolved) { By = "kim", Note = "Carrier fault", PublicNote = "The lines are back." });
        await h.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(Stage.Resolved, (await h.TicketAsync(phones)).Stage);
        Assert.Contains(h.MailsTo("b@demo.example"), m => m.Text.Contains("The lines are back.", StringComparison.Ordinal));
    }
}
