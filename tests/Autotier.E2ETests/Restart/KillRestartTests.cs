using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.Application.Json;
using Autotier.E2ETests.Support;
using Autotier.LocalHost;
using Autotier.LocalHost.Durable;
using Autotier.TestSupport.Azurite;
using Autotier.Workflow;
using Autotier.Workflow.Ticket;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace Autotier.E2ETests.Restart;

[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>;

/// <summary>
/// A worker killed with work in flight (SIGKILL: as Azure recycles or crashes an instance) and
/// started again on the same storage: the Durable Task Framework replays what was under way, and
/// the app's idempotency keys keep every side effect to one.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class KillRestartTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Tickets = 30;

    [Fact(Timeout = 240_000)]
    public async Task Killing_the_host_mid_work_loses_no_ticket_and_repeats_no_side_effect()
    {
        var names = AzuriteNames.Prefix();
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["AUTOTIER_TASK_HUB"] = names,
            ["AUTOTIER_TABLE_PREFIX"] = names,
            ["AUTOTIER_INTAKE_QUEUE"] = $"{names}-intake",
            // A message the killed worker had taken comes back after the queue visibility timeout
            // (5 minutes by default, on Azure too). Shortened here as an app setting can shorten it,
            // so the test waits seconds, not minutes; the partition leases still take their 30 s.
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout"] = "00:00:10",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:00:10",
        };
        var port = LocalHostProcess.FreePort();
        var observerService = AzureStorageDurable.Create(
            azurite.ConnectionString, new DurableHostOptions(names, TimeSpan.FromSeconds(1)), NullLoggerFactory.Instance, "observer");
        var observer = new LocalDurableTaskClient("observer", observerService, new JsonDataConverter(AutotierJson.Options));

        var filed = new List<(string TicketId, string Email)>();
        await using (var first = await LocalHostProcess.StartAsync(port, environment, TimeSpan.FromSeconds(60)))
        {
            using var http = new HttpClient { BaseAddress = first.BaseAddress };
            var accepted = 0;
            var posts = Enumerable.Range(0, Tickets).Select(async i =>
            {
                var email = $"r{i}.{names}@demo.example";
                var body = JsonSerializer.Serialize(new { clientId = "demo", requester = new { email }, subject = $"Ticket {i}", body = "Something is wrong." });
                var response = await http.PostAsync(new Uri("api/tickets", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                var ticketId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
                Interlocked.Increment(ref accepted);
                return (ticketId, email);
            }).ToList();
            // Killed while tickets are still arriving: the ones accepted so far are mid-way.
            while (Volatile.Read(ref accepted) < Tickets / 2) await Task.Delay(5);
            await first.KillAsync();
            foreach (var post in posts)
            {
                try
                {
                    filed.Add(await post);
                }
                catch (HttpRequestException)
                {
                    // Not accepted: the caller saw no 202 and would send it again.
                }
            }
        }

        var inFlight = 0;
        foreach (var (ticketId, _) in filed)
        {
            var instance = await observer.GetInstanceAsync($"ticket-{ticketId}");
            if (LocalHostFixture.PhaseOf(instance) is not { } phase || !LocalHostFixture.Resting.Contains(phase)) inFlight++;
        }
        output.WriteLine($"{filed.Count} accepted; {inFlight} of them had not recorded their acknowledgement when the host was killed");
        Assert.True(inFlight > 0, "the kill came after all the work was done: nothing was in flight");

        await using var second = await LocalHostProcess.StartAsync(port, environment, TimeSpan.FromSeconds(60));
        using var http2 = new HttpClient { BaseAddress = second.BaseAddress };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        try
        {
            foreach (var (ticketId, _) in filed)
            {
                while (LocalHostFixture.PhaseOf(await observer.GetInstanceAsync($"ticket-{ticketId}", cts.Token)) is not { } phase || !LocalHostFixture.Resting.Contains(phase))
                    await Task.Delay(200, cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            foreach (var (ticketId, _) in filed)
            {
                var instance = await observer.GetInstanceAsync($"ticket-{ticketId}");
                output.WriteLine($"{ticketId}: {instance?.RuntimeStatus} {instance?.SerializedCustomStatus}");
            }
            output.WriteLine(second.Log);
            throw;
        }

        foreach (var (ticketId, email) in filed)
        {
            var ticket = await http2.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{ticketId}", UriKind.Relative), cts.Token);
            var timeline = ticket.GetProperty("timeline").EnumerateArray().Select(l => l.GetProperty("step").GetString()).ToList();
            Assert.Single(timeline, step => step == "acknowledged");
            var mails = await http2.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(email)}", UriKind.Relative), cts.Token);
            // Acknowledged once, and every mail the workflow sent went once (the outbox keeps one per key).
            Assert.Single(mails!, m => m.GetProperty("subject").GetString()!.Contains("We've got your request", StringComparison.Ordinal));
            Assert.Equal(mails!.Length, mails.Select(m => m.GetProperty("subject").GetString()).Distinct().Count());
        }

        // Every workflow carried on after the restart to where it waits (checked above), none failed.
        foreach (var (ticketId, _) in filed)
            Assert.DoesNotContain((await observer.GetInstanceAsync($"ticket-{ticketId}", cts.Token))!.RuntimeStatus, new[] { OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated });
    }
}
