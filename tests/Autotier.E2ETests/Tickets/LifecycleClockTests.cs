using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.E2ETests.Support;
using Autotier.LocalHost;
using Autotier.TestSupport.Azurite;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Autotier.E2ETests.Tickets;

/// <summary>
/// The lifecycle's time-driven scenarios on the local host with AUTOTIER_VIRTUAL_CLOCK=1: the
/// Durable Task Framework's Azure Storage provider on Azurite, days passing through POST /_local/clock.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class LifecycleClockTests(AzuriteFixture azurite)
{
    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    [Fact(Timeout = 180_000)]
    public async Task Silence_brings_a_reminder_then_the_close_and_a_yes_closes_after_the_reopen_window_on_the_real_provider()
    {
        var names = AzuriteNames.Prefix();
        await using var app = LocalHostApp.Create(
            new LocalHostSettings
            {
                Port = 0,
                VirtualClock = true,
                AppSettings = new Dictionary<string, string?> { ["AUTOTIER_TASK_HUB"] = names, ["AUTOTIER_TABLE_PREFIX"] = names },
            },
            azurite.ConnectionString,
            Path.Combine(RepositoryRoot.Find(), "host.json"),
            logging => logging.ClearProviders());
        await app.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };

        async Task<string> FileAsync(string email, string subject, string body)
        {
            var response = await http.PostAsync(new Uri("api/tickets", UriKind.Relative), Json(new { clientId = "demo", requester = new { email }, subject, body }));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
        }
        async Task<JsonElement> TicketAsync(string id) => await http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{id}", UriKind.Relative));
        async Task<string> RestAsync(string id)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                var workflow = (await TicketAsync(id)).GetProperty("workflow");
                if (workflow.ValueKind == JsonValueKind.Object && workflow.TryGetProperty("phase", out var p) && LocalHostFixture.Resting.Contains(p.GetString()!))
                    return p.GetString()!;
                await Task.Delay(100, cts.Token);
            }
        }
        async Task AdvanceAsync(TimeSpan by)
        {
            var moved = await http.PostAsync(new Uri("_local/clock", UriKind.Relative), Json(new { advanceMs = (long)by.TotalMilliseconds }));
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        async Task<JsonElement[]> OutboxAsync(string to) =>
            (await http.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(to)}", UriKind.Relative)))!;

        // From 09:00 UTC on the next Monday to Wednesday: the demo client's London hours then hold the
        // reminder a day later and the close a day after that, whatever time of day the run starts
        // (a run started on a Monday evening put the reminder after hours and the close past the test's days).
        var now = app.VirtualClock!.Clock.GetUtcNow();
        var start = now.UtcDateTime.Date.AddDays(1);
        while (start.DayOfWeek is not (DayOfWeek.Monday or DayOfWeek.Tuesday or DayOfWeek.Wednesday)) start = start.AddDays(1);
        // 1 ms past the hour, as ClockHostFixture.AdvanceToAsync does (a clock held on a whole minute is slow to advance).
        await AdvanceAsync(new DateTimeOffset(start.AddHours(9), TimeSpan.Zero).AddMilliseconds(1) - now);

        var silent = await FileAsync("quiet@demo.example", "VPN drops every hour", "FortiClient disconnects every hour.");
        var happy = await FileAsync("sspr@demo.example", "Forgot my password", "I forgot my password and cannot sign in.");
        Assert.Equal("awaiting", await RestAsync(silent));
        Assert.Equal("awaiting", await RestAsync(happy));

        var guide = (await OutboxAsync("sspr@demo.example")).First(m => m.GetProperty("text").GetString()!.Contains("answer=yes", StringComparison.Ordinal));
        var yes = System.Text.RegularExpressions.Regex.Match(guide.GetProperty("text").GetString()!, @"https?://\S+answer=yes").Value;
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(new Uri(yes), null)).StatusCode);

        // Two days and a half: a reminder inside the demo client's London hours, then the close.
        for (var i = 0; i < 10; i++) await AdvanceAsync(TimeSpan.FromHours(6));
        Assert.Contains(await OutboxAsync("quiet@demo.example"), m => m.GetProperty("subject").GetString()!.Contains("Did the steps help?", StringComparison.Ordinal));
        var closed = await TicketAsync(silent);
        Assert.Equal("closed", closed.GetProperty("stage").GetString());
        Assert.Equal("silence", closed.GetProperty("resolution").GetProperty("by").GetString());

        // The reopen window (7 days) passes: the resolved ticket closes and its workflow ends.
        for (var i = 0; i < 6; i++) await AdvanceAsync(TimeSpan.FromDays(1));
        var done = await TicketAsync(happy);
        Assert.Equal("closed", done.GetProperty("stage").GetString());
        Assert.Equal("requester", done.GetProperty("resolution").GetProperty("by").GetString());
        Assert.Equal("Completed", await StatusAsync(http, happy));
    }

    private static async Task<string> StatusAsync(HttpClient http, string id)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var response = await http.GetAsync(new Uri($"durabletask/instances/ticket-{id}", UriKind.Relative), cts.Token);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
            var status = body.GetProperty("runtimeStatus").GetString()!;
            if (status != "Running") return status;
            await Task.Delay(100, cts.Token);
        }
    }
}
