using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.E2ETests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Autotier.E2ETests.Storage;

/// <summary>
/// What one ticket's first slice (filed, acknowledged at once, its orchestration started, the
/// acknowledgement recorded, waiting) costs in storage requests on the Durable Task Framework's
/// Azure Storage provider, counted on the SDK pipeline of every client. The bounds catch a change
/// that adds round trips; the figures themselves are printed for the README and the bench.
/// </summary>
[Collection(LocalHostFixture.Collection)]
public sealed class StorageRequestTests(LocalHostFixture host, ITestOutputHelper output)
{
    [Fact(Timeout = 60_000)]
    public async Task One_ticket_costs_a_bounded_number_of_storage_requests_beyond_polling()
    {
        var counter = host.Requests;
        counter.NameService(new Uri(Endpoint("TableEndpoint")).Port, "table");
        counter.NameService(new Uri(Endpoint("QueueEndpoint")).Port, "queue");
        counter.NameService(new Uri(Endpoint("BlobEndpoint")).Port, "blob");
        // A first ticket warms caches (the client profile, the task hub's queues), as on a running app.
        await FileAsync("warm@demo.example");

        counter.Reset();
        var ticketId = await FileAsync($"count.{Guid.NewGuid():N}@demo.example");
        var counts = counter.ByKind;

        var shown = string.Join("\n", counts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}"));
        output.WriteLine($"{ticketId}: {counter.Total} requests\n{shown}");
        int Of(Func<string, bool> kind) => counts.Where(kv => kind(kv.Key)).Sum(kv => kv.Value);
        var polls = Of(k => k.StartsWith("queue ", StringComparison.Ordinal) && k.EndsWith("/messages GET", StringComparison.Ordinal));
        var appTables = Of(k => k.StartsWith("table autotier", StringComparison.Ordinal));
        var history = Of(k => k.StartsWith("table autotierHistory", StringComparison.Ordinal) || k.StartsWith("table autotierInstances", StringComparison.Ordinal));
        output.WriteLine($"polling reads: {polls}; app tables: {appTables - history}; durable tables: {history}; beyond polling: {counter.Total - polls}");

        // The window is the ticket's first slice: POST until its guide is sent and the workflow waits
        // (acknowledge, start the lifecycle, run the VPN playbook). The app's own tables (2026-12-07:
        // 15): the client profile (intake, the lifecycle's start, the playbook), the number counter,
        // the ticket and its timeline lines, the guide's stage write, the outbox rows (the
        // acknowledgement and the guide).
        Assert.InRange(appTables - history, 13, 18);
        // The Durable side's tables: the instance row and the history (one read and one batch per
        // episode: the batches go to $batch and are counted apart). 12 and 4 batches when measured.
        // The outcome log adds one batch per step that records outcome events (the acknowledgement
        // step's received, acknowledged and classified; the guide's playbook and responded) and no
        // read: it folds into the summary version it wrote last (2026-12-07: 6 batches in all).
        Assert.InRange(history, 6, 16);
        Assert.Equal(0, Of(k => k.StartsWith("table autotierOutcomes GET", StringComparison.Ordinal)));
        Assert.InRange(Of(k => k == "table $batch POST"), 5, 7);
    }

    private string Endpoint(string name) => host.StorageConnection.Split(';')
        .Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    private async Task<string> FileAsync(string email)
    {
        var body = JsonSerializer.Serialize(new { clientId = "demo", requester = new { email }, subject = "VPN drops every hour", body = "FortiClient disconnects." });
        var response = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ticketId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
        await host.WaitForRestAsync($"ticket-{ticketId}", TimeSpan.FromSeconds(30));
        return ticketId;
    }
}
