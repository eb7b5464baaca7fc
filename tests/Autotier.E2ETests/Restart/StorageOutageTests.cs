using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.LocalHost;
using Autotier.LocalHost.Azurite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Autotier.E2ETests.Restart;

/// <summary>
/// Issue #33 fix 4, "accepted means processed", on <c>POST /api/tickets</c>: with storage gone the
/// API answers 503 with <c>Retry-After</c> and stores nothing (never a 500); once storage is back,
/// the caller's retry of the same request files the ticket once and its workflow runs.
/// </summary>
public sealed class StorageOutageTests
{
    private static StringContent Ticket(string email) => new(
        JsonSerializer.Serialize(new { clientId = "demo", requester = new { email }, subject = "VPN drops every hour", body = "FortiClient disconnects.", externalId = "retry-1" }),
        Encoding.UTF8, "application/json");

    [Fact(Timeout = 240_000)]
    public async Task With_storage_down_a_new_ticket_gets_503_with_retry_after_and_the_retry_after_it_is_back_files_it_once()
    {
        var data = Directory.CreateTempSubdirectory("autotier-outage-").FullName;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(data), NullLogger.Instance, timeout.Token);
        var (blob, queue, table) = (azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
        var app = LocalHostApp.Create(
            new LocalHostSettings { Port = 0 }, azurite.ConnectionString, Path.Combine(RepositoryRoot.Find(), "host.json"), logging => logging.ClearProviders());
        try
        {
            await app.StartAsync(timeout.Token);
            using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
            const string email = "outage@demo.example";

            await azurite.StopAsync();
            var refused = await http.PostAsync(new Uri("api/tickets", UriKind.Relative), Ticket(email));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("30", refused.Headers.GetValues("Retry-After").Single());
            Assert.Contains("nothing was taken", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);

            await azurite.DisposeAsync();
            azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(data, blob, queue, table), NullLogger.Instance, timeout.Token);
            var first = await http.PostAsync(new Uri("api/tickets", UriKind.Relative), Ticket(email));
            var again = await http.PostAsync(new Uri("api/tickets", UriKind.Relative), Ticket(email));
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString();
            Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString());
            // Its workflow runs: the ticket moves on from where intake left it.
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while ((await http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{id}", UriKind.Relative), bound.Token)).GetProperty("workflow").ValueKind != JsonValueKind.Object)
                await Task.Delay(200, bound.Token);
        }
        finally
        {
            await app.DisposeAsync();
            await azurite.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
