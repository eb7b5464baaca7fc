using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.E2ETests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Autotier.E2ETests.Ops;

/// <summary>
/// The ticket page's other actions (issue #34 fix 2): reclassify, pause and resume the SLA, retry or
/// stop a workflow, link and unlink an incident; each through the page's form or its POST, each on
/// the timeline with who did it, and each seen in what the workflow does next. A host per test: on a
/// shared virtual clock every open ticket's timers and the timer triggers are steps of each later
/// advance, and one test's hours of SLA pause took minutes after the others' tickets.
/// </summary>
public sealed class OpsWorkflowActionTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly OpsHostFixture host = new();

    public Task InitializeAsync() => host.InitializeAsync();

    public Task DisposeAsync() => host.DisposeAsync();

    private static bool TimelineSays(JsonElement view, string text) => OpsForm.TimelineSays(view, text);

    private async Task<HttpResponseMessage> ActAsync(string id, string action, params (string Name, string Value)[] fields)
    {
        var form = new Dictionary<string, string> { ["action"] = action, ["token"] = await OpsForm.TokenAsync(host, id), ["by"] = "Priya" };
        foreach (var (name, value) in fields) form[name] = value;
        return await OpsForm.PostAsync(host, id, form);
    }

    private Task<string> PageTextAsync(string id) => OpsForm.PageAsync(host, id);

    [Fact(Timeout = 300_000)]
    public async Task An_engineer_reclassifies_and_pauses_then_resumes_the_SLA_from_the_page_and_the_clock_follows()
    {
        await host.AdvanceToAsync(host.NextWorkday(9));
        // A P2 (a P1 would page the on-call every few minutes of the hours this test lets pass).
        const string email = "fw@demo.example";
        var id = await host.FileAsync(email, "Firewall rule", "Please open port 8443 on the firewall for our new supplier portal", "Ola Berg");
        await host.StageAsync(id, "escalated");

        await using var tab = await chromium.OpenAsync(new ViewportSize { Width = 1400, Height = 2200 }, OpsHostFixture.KeyHeader);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.App.BaseAddress, $"api/ops/tickets/{id}").ToString());

        // Reclassify: the engineer's call is stored with the correction and on the timeline.
        var reclassify = page.Locator("form[aria-labelledby=reclassify-h]");
        await reclassify.GetByLabel("Your name").FillAsync("Priya");
        await reclassify.GetByLabel("Priority").SelectOptionAsync("P3");
        await reclassify.GetByLabel("Why (optional; the client's classifier learns from it)").FillAsync("A change request, not a fault");
        await reclassify.GetByRole(AriaRole.Button, new() { Name = "Reclassify" }).ClickAsync();
        await page.WaitForURLAsync($"**/api/ops/tickets/{id}");
        var reclassified = await host.ViewWhenAsync(id, v => TimelineSays(v, "Priya (ops key)"), "the correction on the timeline");
        Assert.Equal("P3", reclassified.GetProperty("priority").GetString());
        Assert.True(TimelineSays(reclassified, "A change request, not a fault"), reclassified.ToString());

        // Pause: the SLA clock stops (the view says paused, no resolution due), on the timeline and the PSA note.
        await page.ReloadAsync();
        var pause = page.Locator("form[aria-labelledby=pause-h]");
        await pause.GetByLabel("Your name").FillAsync("Priya");
        await pause.GetByRole(AriaRole.Button, new() { Name = "Pause the SLA clock" }).ClickAsync();
        await page.WaitForURLAsync($"**/api/ops/tickets/{id}");
        var paused = await host.ViewWhenAsync(id, v => TimelineSays(v, "paused the SLA clock on the ops page"), "the pause on the timeline");
        Assert.True(paused.GetProperty("sla").GetProperty("paused").GetBoolean(), paused.ToString());
        var dueBefore = paused.GetProperty("sla").TryGetProperty("resolutionDue", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        Assert.Null(dueBefore);
        // A second pause of a paused clock is refused, not recorded twice.
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(id, "pause")).StatusCode);

        // Three business hours pass while paused; after the resume the resolution is due later than it was.
        await host.AdvanceAsync(TimeSpan.FromHours(3));
        await page.ReloadAsync();
        Assert.Contains("paused", await page.Locator("section[aria-labelledby=sla-h]").InnerTextAsync(), StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, "ops-ticket-more-actions-csharp.png");
        var resume = page.Locator("form[aria-labelledby=resume-h]");
        await resume.GetByLabel("Your name").FillAsync("Priya");
        await resume.GetByRole(AriaRole.Button, new() { Name = "Resume the SLA clock" }).ClickAsync();
        await page.WaitForURLAsync($"**/api/ops/tickets/{id}");
        var resumed = await host.ViewWhenAsync(id, v => TimelineSays(v, "resumed the SLA clock on the ops page"), "the resume on the timeline");
        Assert.False(resumed.GetProperty("sla").GetProperty("paused").GetBoolean(), resumed.ToString());
        var due = DateTimeOffset.Parse(resumed.GetProperty("sla").GetProperty("resolutionDue").GetString()!, CultureInfo.InvariantCulture);
        var filedDue = DateTimeOffset.Parse(reclassified.GetProperty("sla").GetProperty("resolutionDue").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(due - filedDue >= TimeSpan.FromHours(2.9), $"due {due:O}, first due {filedDue:O}: the paused hours were not given back");
        Assert.True(tab.ConsoleErrors.Count == 0, string.Join("; ", tab.ConsoleErrors));

        // Pause is for a ticket a person has: a resolved ticket refuses it.
        Assert.Equal(HttpStatusCode.SeeOther, (await ActAsync(id, "resolve", ("note", "Remapped the drive"))).StatusCode);
        await host.StageAsync(id, "resolved");
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(id, "pause")).StatusCode);
    }

    [Fact(Timeout = 400_000)]
    public async Task A_failed_workflow_is_retried_from_the_page_and_runs_then_stopping_it_closes_the_ticket_here()
    {
        await host.AdvanceToAsync(host.NextWorkday(11));
        var first = await host.FileAsync("a@demo.example", "Mouse not working", "My mouse stopped working this morning");
        // The next ticket's workflow fails before the ticket exists (a step that cannot find it, as
        // when storage lost the row): the intake then finds the failed instance and starts nothing.
        var next = Autotier.Domain.Tickets.TicketIds.FromNumber(long.Parse(first[2..], CultureInfo.InvariantCulture) - 1000 + 1);
        await host.App.Durable.ScheduleNewOrchestrationInstanceAsync(
            Autotier.Workflow.OrchestrationNames.Ticket,
            new TicketWorkflowInput(next, "demo", null, Autotier.Workflow.Ticket.TicketOrchestration.LifecycleVersion),
            new Microsoft.DurableTask.StartOrchestrationOptions($"ticket-{next}"));
        await host.App.VirtualClock!.SettledAsync();
        await host.AdvanceAsync(TimeSpan.FromHours(2));
        Assert.Equal("Failed", await host.FinishedStatusAsync(next));
        var filed = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative), ClockHostFixture.Json(new
        {
            clientId = "demo",
            requester = new { email = "b@demo.example" },
            subject = "Outlook keeps asking for my password",
            body = "Outlook asks for my password every few minutes since this morning",
        }));
        Assert.Equal(HttpStatusCode.Accepted, filed.StatusCode);
        Assert.Equal(next, (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString());
        await host.App.VirtualClock!.SettledAsync();
        Assert.Equal("Failed", await host.RuntimeStatusAsync(next));

        // The page offers a retry of the failed workflow and says what failed (the instance's output
        // and the failed step and the end of the run in its history: DTFx records a failed run as
        // ExecutionCompleted with status Failed); the list's "failed" filter finds it, marked.
        var html = await PageTextAsync(next);
        Assert.Contains("Retry the workflow", html, StringComparison.Ordinal);
        Assert.Contains("What failed", html, StringComparison.Ordinal);
        Assert.Contains("TaskFailed", html, StringComparison.Ordinal);
        Assert.Matches("ExecutionCompleted</td>.{0,300}?>Failed</td>", html);
        using (var listRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("api/ops?failed=on", UriKind.Relative)))
        {
            listRequest.Headers.Add("x-functions-key", OpsHostFixture.Key);
            var list = await (await host.Http.SendAsync(listRequest)).Content.ReadAsStringAsync();
            Assert.Contains($">{next}<", list, StringComparison.Ordinal);
            Assert.Contains("is-failed", list, StringComparison.Ordinal);
            Assert.DoesNotContain($">{first}<", list, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Retry the workflow", await PageTextAsync(first), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(first, "retry")).StatusCode);

        Assert.Equal(HttpStatusCode.SeeOther, (await ActAsync(next, "retry")).StatusCode);
        var phase = await host.RestAsync(next);
        Assert.NotEqual("Failed", await host.RuntimeStatusAsync(next));
        var retried = await host.ViewAsync(next);
        Assert.True(TimelineSays(retried, "Workflow started again by Priya (ops key) after it failed"), retried.ToString());
        Assert.True(retried.GetProperty("stage").GetString() is not "received", $"{phase}: {retried}");
        // A retry of a workflow that runs again is refused.
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(next, "retry")).StatusCode);

        // Stop: a reason is needed; then the instance is terminated and the ticket closed here, with who and why.
        Assert.Equal(HttpStatusCode.BadRequest, (await ActAsync(next, "stop")).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await ActAsync(next, "stop", ("note", "Handled by phone; see PSA"))).StatusCode);
        Assert.Equal("Terminated", await host.FinishedStatusAsync(next));
        var stopped = await host.StageAsync(next, "closed");
        Assert.True(TimelineSays(stopped, "Workflow stopped by Priya (ops key); the ticket is closed here and handled by hand: Handled by phone; see PSA"), stopped.ToString());
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(next, "stop", ("note", "again"))).StatusCode);
        Assert.DoesNotContain("Stop the workflow", await PageTextAsync(next), StringComparison.Ordinal);
    }

    [Fact(Timeout = 400_000)]
    public async Task A_ticket_linked_to_an_incident_by_hand_is_resolved_with_its_lead_and_a_lead_others_follow_cannot_leave()
    {
        await host.AdvanceToAsync(host.NextWorkday(14));
        var lead = await host.FileAsync("lead@demo.example", "File server down", "The file server is down and nobody can open the shared drive");
        await host.StageAsync(lead, "escalated");
        var other = await host.FileAsync("phones@demo.example", "Phones dead", "The whole office phone system is down, no calls in or out for anyone");
        var otherView = await host.StageAsync(other, "escalated");
        var leadIncident = (await host.ViewAsync(lead)).GetProperty("incident").GetString()!;
        // Different words: the second outage opened an incident of its own.
        Assert.NotEqual(leadIncident, otherView.GetProperty("incident").GetString());

        // Already in an incident: linking to another is refused until it is unlinked.
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(other, "link", ("incident", leadIncident))).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await ActAsync(other, "unlink")).StatusCode);
        var alone = await host.ViewWhenAsync(other, v => TimelineSays(v, "by Priya (ops key): it stands on its own"), "the unlink on the timeline");
        Assert.False(alone.TryGetProperty("incident", out var gone) && gone.ValueKind == JsonValueKind.String, alone.ToString());

        // The page offers the lead's open incident; linking makes the engineer of the lead act for it.
        Assert.Contains($"<option value=\"{leadIncident}\"", await PageTextAsync(other), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, (await ActAsync(other, "link", ("incident", leadIncident))).StatusCode);
        var linked = await host.ViewWhenAsync(other, v => v.TryGetProperty("incident", out var i) && i.GetString() == leadIncident, "the link");
        Assert.True(TimelineSays(linked, $"Linked to incident {leadIncident}, led by {lead}, by Priya (ops key)"), linked.ToString());

        // The lead cannot leave while another follows it.
        var refused = await ActAsync(lead, "unlink");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("unlink those first", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // The lead's engineer resolves: the linked ticket is resolved with it.
        Assert.Equal(HttpStatusCode.SeeOther, (await ActAsync(lead, "resolve", ("note", "Restarted the storage controller"), ("publicNote", "The shared drive is back."))).StatusCode);
        await host.StageAsync(lead, "resolved");
        await host.StageAsync(other, "resolved");
    }
}
