using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.E2ETests.Support;
using Xunit;

namespace Autotier.E2ETests.Tickets;

/// <summary>Classification at intake, its explanation on GET, and an engineer's correction, over HTTP.</summary>
[Collection(LocalHostFixture.Collection)]
public sealed class ClassificationApiTests(LocalHostFixture host)
{
    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private async Task<string> PostAsync(string subject, string body)
    {
        var response = await host.Http.PostAsync(
            new Uri("api/tickets", UriKind.Relative),
            Json(new { clientId = "demo", requester = new { email = $"c.{Guid.NewGuid():N}@demo.example" }, subject, body }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
    }

    private async Task<JsonElement> GetAsync(string ticketId) =>
        await host.Http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{ticketId}", UriKind.Relative));

    private Task<HttpResponseMessage> EventAsync(string ticketId, object body) =>
        host.Http.PostAsync(new Uri($"api/tickets/{ticketId}/events", UriKind.Relative), Json(body));

    [Fact(Timeout = 60_000)]
    public async Task A_ticket_is_shown_classified_with_the_reasons_that_decided()
    {
        var id = await PostAsync("Locked out", "My account is locked, I typed my Kennwort wrong too many times.");

        var ticket = await GetAsync(id);

        Assert.NotEqual("received", ticket.GetProperty("stage").GetString());
        Assert.Equal("password_reset", ticket.GetProperty("category").GetString());
        Assert.Equal("auto", ticket.GetProperty("route").GetString());
        var classification = ticket.GetProperty("classification");
        Assert.NotEmpty(classification.GetProperty("reasons").EnumerateArray());
        Assert.Empty(classification.GetProperty("corrections").EnumerateArray());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_dangerous_ticket_is_never_routed_to_automation()
    {
        var id = await PostAsync("Password", "I got a sign-in alert from another country, it wasn't me, and now my password does not work.");

        var ticket = await GetAsync(id);

        Assert.Equal("engineering", ticket.GetProperty("category").GetString());
        Assert.Equal("escalate", ticket.GetProperty("route").GetString());
        Assert.Equal("P1", ticket.GetProperty("priority").GetString());
        Assert.True(ticket.GetProperty("classification").GetProperty("dangerous").GetBoolean());
    }

    [Fact(Timeout = 60_000)]
    public async Task An_engineers_correction_is_shown_on_the_ticket_and_bad_events_are_refused()
    {
        var id = await PostAsync("Mouse not working", "My mouse stopped working this morning.");

        var corrected = await EventAsync(id, new { type = "reclassified", by = "alex", category = "engineering", note = "USB hub fault" });
        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);

        var ticket = await GetAsync(id);
        Assert.Equal("engineering", ticket.GetProperty("category").GetString());
        var correction = Assert.Single(ticket.GetProperty("classification").GetProperty("corrections").EnumerateArray());
        Assert.Equal("alex", correction.GetProperty("by").GetString());
        Assert.True(correction.GetProperty("misroute").GetBoolean());
        Assert.Equal("engineer", ticket.GetProperty("classification").GetProperty("decidedBy").GetString());
        Assert.Contains(ticket.GetProperty("timeline").EnumerateArray(), l => l.GetProperty("step").GetString() == "reclassified-1");

        var bad = await EventAsync(id, new { type = "reclassified", by = "alex", category = "printers" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("category: ", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await EventAsync(id, new { type = "nonsense" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await EventAsync("T-999999", new { type = "reclassified", by = "a", priority = "P2" })).StatusCode);
        var notJson = await host.Http.PostAsync(new Uri($"api/tickets/{id}/events", UriKind.Relative), new StringContent("{", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }
}
