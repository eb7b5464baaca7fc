using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.E2ETests.Support;
using Xunit;
using static Autotier.E2ETests.Support.ClockHostFixture;

namespace Autotier.E2ETests.Scenarios;

/// <summary>
/// tests/e2e/housekeeping.test.ts and storageLimits.test.ts on the local host with the virtual clock:
/// the hourly housekeeping timer trigger (<c>workflowHousekeeping</c>, at :17) on the app's clock, the
/// Durable history purge on the Azure Storage provider, and the largest tickets through their life.
/// </summary>
public sealed class HousekeepingScenarioTests : IAsyncLifetime
{
    // A host per test: every open ticket's timers are steps of each later advance of the shared
    // clock, and on this loaded machine a class's worth of them made one advance outlast the
    // runner's 5-minute hang limit. A fresh host costs seconds.
    private readonly ClockHostFixture host = new();

    public Task InitializeAsync() => host.InitializeAsync();

    public Task DisposeAsync() => host.DisposeAsync();

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact(Timeout = 280_000)]
    public async Task A_workflow_that_failed_raises_one_alert_to_tier_two_at_the_next_hourly_check()
    {
        // A workflow for a ticket that does not exist: its steps fail every retry.
        await host.App.Durable.ScheduleNewOrchestrationInstanceAsync(
            Autotier.Workflow.OrchestrationNames.Ticket,
            new TicketWorkflowInput("T-999999", "demo", null, Autotier.Workflow.Ticket.TicketOrchestration.LifecycleVersion),
            new Microsoft.DurableTask.StartOrchestrationOptions("ticket-T-999999"));
        await host.App.VirtualClock!.SettledAsync();
        await host.AdvanceAsync(2 * Hour);
        Assert.Equal("Failed", await host.FinishedStatusAsync("T-999999"));
        await host.AdvanceAsync(Hour);
        var alerts = await host.AlertsWhenAsync("T-999999", a => a.Count > 0, "the workflow problem alert");
        Assert.Equal(["workflow_problem@tier2"], alerts);
        await host.AdvanceAsync(2 * Hour);
        Assert.Equal(["workflow_problem@tier2"], await host.AlertsAsync("T-999999"));
    }

    [Fact(Timeout = 280_000)]
    public async Task The_history_of_a_finished_workflow_goes_after_the_retention_the_ticket_stays_and_a_reply_still_follows_up()
    {
        const string email = "purged@demo.example";
        var id = await host.FixedMouseAsync(email);
        await host.AdvanceAsync(TimeSpan.FromDays(8));
        Assert.Equal("Completed", await host.FinishedStatusAsync(id));
        await host.AdvanceAsync(TimeSpan.FromDays(21));
        Assert.Equal("Completed", await host.RuntimeStatusAsync(id));
        await host.AdvanceAsync(TimeSpan.FromDays(1) + 2 * Hour);
        Assert.Null(await host.RuntimeStatusAsync(id));
        var view = await host.ViewAsync(id);
        Assert.Equal("closed", view.GetProperty("stage").GetString());
        Assert.True(view.GetProperty("timeline").GetArrayLength() > 3);
        var res = await host.EventAsync(id, new { type = "reply", from = email, text = "It broke again" });
        Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);
        Assert.Matches(@"^T-\d+$", (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("followUpTicketId").GetString());
    }

    [Fact(Timeout = 280_000)]
    public async Task An_intake_delivery_in_the_poison_queue_tells_tier_two_at_the_next_hourly_watch()
    {
        var poison = new Azure.Storage.Queues.QueueClient(host.StorageConnection, "autotier-intake-poison");
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("{\"source\":\"generic\"}")));
        await host.AdvanceAsync(Hour);
        var alerts = await host.AlertsWhenAsync("_intake", a => a.Count > 0, "the intake poison alert");
        Assert.Equal(["intake_poison@tier2"], alerts);
    }

    /// <summary>20,000 characters of Japanese: about 60 KB of UTF-8, and 40 KB as Table Storage counts UTF-16.</summary>
    private static string Japanese(string lead) => string.Concat(lead, " ", string.Concat(Enumerable.Repeat("プリンターが印刷できません。", 2000)))[..20_000];

    // storageLimits.test.ts. Its first skip reason (a 413) was the test's own JSON escaping every
    // Japanese character as \uXXXX (fixed in ClockHostFixture.Json); the second (reopens stuck at 1)
    // was every reopen after the first judged stale (fixed in UpdateTicket).
    [Fact(Timeout = 280_000)]
    public async Task A_20000_character_ticket_escalates_is_resolved_and_reopened_five_times_with_20000_character_replies()
    {
        const string email = "big@demo.example";
        var response = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative),
            Json(new { clientId = "demo", requester = new { email }, subject = "Printer offline", body = Japanese("The printer is offline.") }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
        await host.RestAsync(id);
        var guide = (await host.MailsAsync(email, id)).FirstOrDefault(m => Text(m).Contains("Did this resolve your issue?", StringComparison.Ordinal));
        if (guide.ValueKind == JsonValueKind.Object) await host.ClickAsync(Link(guide, "answer=no"));
        await host.StageAsync(id, "escalated");
        for (var round = 1; round <= 5; round++)
        {
            var resolved = await host.EventAsync(id, new { type = "resolved", by = "Priya", note = $"Fix {round}" });
            Assert.Equal(HttpStatusCode.Accepted, resolved.StatusCode);
            await host.StageAsync(id, "resolved");
            var reply = await host.EventAsync(id, new { type = "reply", from = email, text = Japanese($"It is still broken ({round}).") });
            Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
            var view = await host.ViewWhenAsync(id, v => v.GetProperty("reopens").GetInt32() == round && v.GetProperty("stage").GetString() == "escalated", $"round {round} reopened");
            Assert.Equal("escalated", view.GetProperty("stage").GetString());
        }
        Assert.Equal("Running", await host.RuntimeStatusAsync(id));
        await host.ResolveIfOpenAsync(id);
    }
}
