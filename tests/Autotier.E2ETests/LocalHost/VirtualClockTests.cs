using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.E2ETests.Support;
using Autotier.LocalHost;
using Autotier.TestSupport.Azurite;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Autotier.E2ETests.LocalHost;

/// <summary>AUTOTIER_VIRTUAL_CLOCK=1: time moves only through POST /_local/clock, for the app and its workflows alike.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class VirtualClockTests(AzuriteFixture azurite)
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact(Timeout = 120_000)]
    public async Task The_clock_moves_only_when_told_and_the_app_reads_it()
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
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        var start = (await (await http.PostAsync(new Uri("_local/clock", UriKind.Relative), Json("{\"advanceMs\": 0}"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("now").GetString()!;
        await Task.Delay(1100);
        var still = (await (await http.PostAsync(new Uri("_local/clock", UriKind.Relative), Json("{\"advanceMs\": 0}"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("now").GetString();
        Assert.Equal(start, still);

        var moved = await http.PostAsync(new Uri("_local/clock", UriKind.Relative), Json("{\"advanceMs\": 864000000}"));
        var now = (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("now").GetString()!;
        Assert.Equal(Parse(start).AddDays(10), Parse(now));

        var filed = await http.PostAsync(new Uri("api/tickets", UriKind.Relative), Json("{\"clientId\":\"demo\",\"requester\":{\"email\":\"clock@demo.example\"},\"subject\":\"Clock\",\"body\":\"x\"}"));
        Assert.Equal(HttpStatusCode.Accepted, filed.StatusCode);
        var ticketId = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString();
        var ticket = await http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{ticketId}", UriKind.Relative));
        Assert.Equal(now, ticket.GetProperty("createdAt").GetString());

        var backwards = await http.PostAsync(new Uri("_local/clock", UriKind.Relative), Json("{\"advanceMs\": -1}"));
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.StartsWith("advanceMs:", (await backwards.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);

        // Past what the clock can hold: a 400 naming the field, never a 500.
        foreach (var huge in new[] { "1e300", "9223372036854775807" })
        {
            var tooFar = await http.PostAsync(new Uri("_local/clock", UriKind.Relative), Json($"{{\"advanceMs\": {huge}}}"));
            Assert.Equal(HttpStatusCode.BadRequest, tooFar.StatusCode);
        }
    }

    private static DateTimeOffset Parse(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}

[Collection(LocalHostFixture.Collection)]
public sealed class RealClockTests(LocalHostFixture host)
{
    [Fact(Timeout = 60_000)]
    public async Task Without_the_virtual_clock_the_clock_route_says_how_to_get_one()
    {
        var response = await host.Http.PostAsync(new Uri("_local/clock", UriKind.Relative), new StringContent("{\"advanceMs\": 1000}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("AUTOTIER_VIRTUAL_CLOCK=1", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
