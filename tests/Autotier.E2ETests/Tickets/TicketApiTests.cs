using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.E2ETests.Support;
using Xunit;

namespace Autotier.E2ETests.Tickets;

/// <summary>The first slice over HTTP, against the TypeScript README's API table.</summary>
[Collection(LocalHostFixture.Collection)]
public sealed class TicketApiTests(LocalHostFixture host)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string NewTicket(string email, string? externalId = null, string clientId = "demo") =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["clientId"] = clientId,
            ["requester"] = new { name = "Sam Lee", email },
            ["subject"] = "Locked out of my account",
            ["body"] = "I typed my password wrong too many times.",
            ["externalId"] = externalId,
        }.Where(kv => kv.Value is not null).ToDictionary());

    private async Task<JsonElement> PostTicketAsync(string body)
    {
        var response = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative), Json(body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(json.GetProperty("statusUrl").GetString(), response.Headers.Location?.ToString());
        return json;
    }

    private async Task<JsonElement[]> OutboxAsync(string to) =>
        (await host.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(to)}", UriKind.Relative)))!;

    [Fact(Timeout = 60_000)]
    public async Task Health_answers_ok()
    {
        var body = await host.Http.GetStringAsync(new Uri("api/health", UriKind.Relative));
        Assert.Equal("{\"status\":\"ok\"}", body);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_posted_ticket_is_acknowledged_at_once_and_its_orchestration_records_it_and_waits()
    {
        var email = $"sam.{Guid.NewGuid():N}@demo.example";
        var created = await PostTicketAsync(NewTicket(email));
        var ticketId = created.GetProperty("ticketId").GetString()!;
        Assert.Matches("^T-[0-9]+$", ticketId);
        Assert.Equal($"{host.App.BaseAddress}api/tickets/{ticketId}", created.GetProperty("statusUrl").GetString());

        // Sent while the caller waited: in the outbox as soon as the 202 is back.
        var ack = (await OutboxAsync(email)).First(m => m.GetProperty("subject").GetString()!.Contains("We've got your request", StringComparison.Ordinal));
        Assert.Equal($"[#{ticketId}] We've got your request: Locked out of my account", ack.GetProperty("subject").GetString());
        Assert.Contains($"Your reference number is {ticketId}.", ack.GetProperty("text").GetString(), StringComparison.Ordinal);

        var instance = await host.WaitForInstanceAsync(
            $"ticket-{ticketId}", s => s.GetProperty("customStatus").ValueKind == JsonValueKind.Object
                && LocalHostFixture.Resting.Contains(s.GetProperty("customStatus").GetProperty("phase").GetString()!), Bound);
        Assert.Equal("Running", instance.GetProperty("runtimeStatus").GetString());
        Assert.Equal("ticketOrchestrator", instance.GetProperty("name").GetString());

        var ticket = await host.Http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{ticketId}", UriKind.Relative));
        Assert.Equal(
            ["ticketId", "clientId", "subject", "stage", "category", "priority", "confidence", "route", "tier", "sla", "attempted", "reopens",
             "resolution", "channel", "attachments", "createdAt", "updatedAt", "workflow", "timeline", "classification", "playbook", "escalation"],
            ticket.EnumerateObject().Select(p => p.Name).ToArray());
        // An address the demo tenant does not know: the password playbook stops and a person has it.
        Assert.Equal("escalated", ticket.GetProperty("stage").GetString());
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("resolution").ValueKind);
        Assert.Equal("api", ticket.GetProperty("channel").GetString());
        Assert.Equal("escalated", ticket.GetProperty("workflow").GetProperty("phase").GetString());
        var line = ticket.GetProperty("timeline").EnumerateArray().First(l => l.GetProperty("step").GetString() == "acknowledged");
        Assert.Equal("acknowledged", line.GetProperty("step").GetString());
        Assert.Equal($"Acknowledged to the requester with reference {ticketId}", line.GetProperty("note").GetString());
        // The activity recorded the intake's send time (the moment the mail service accepted it), not its own.
        var sentAt = DateTimeOffset.Parse(ack.GetProperty("sentAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var recordedAt = DateTimeOffset.Parse(line.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(recordedAt - sentAt, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
        var orchestrationStarted = DateTimeOffset.Parse(instance.GetProperty("createdTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(recordedAt <= orchestrationStarted, "the acknowledgement went out before the workflow started");
        Assert.Single(await OutboxAsync(email), m => m.GetProperty("subject").GetString()!.Contains("We've got your request", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_same_external_id_twice_is_one_ticket_and_one_acknowledgement()
    {
        var email = $"dup.{Guid.NewGuid():N}@demo.example";
        var externalId = $"ext-{Guid.NewGuid():N}";
        var first = await PostTicketAsync(NewTicket(email, externalId));
        var second = await PostTicketAsync(NewTicket(email, externalId));

        Assert.Equal(first.GetProperty("ticketId").GetString(), second.GetProperty("ticketId").GetString());
        await host.WaitForInstanceAsync($"ticket-{first.GetProperty("ticketId").GetString()}", s => s.GetProperty("customStatus").ValueKind == JsonValueKind.Object, Bound);
        Assert.Single(await OutboxAsync(email), m => m.GetProperty("subject").GetString()!.Contains("We've got your request", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_client_nobody_set_up_is_refused_naming_it_and_nothing_is_stored_or_mailed()
    {
        var email = $"ghost.{Guid.NewGuid():N}@demo.example";
        var response = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative), Json(NewTicket(email, clientId: "nobody")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"error\":\"clientId: no client \\\"nobody\\\" is set up here\"}", await response.Content.ReadAsStringAsync());
        Assert.Empty(await OutboxAsync(email));
    }

    // Issue #33 fix 6: JSON sent as a form, text or a raw mail is refused with 415 and stores nothing.
    [Theory(Timeout = 60_000)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("message/rfc822")]
    public async Task A_json_body_with_another_content_type_gets_415_and_no_ticket(string contentType)
    {
        var email = $"wrong-type.{Guid.NewGuid():N}@demo.example";
        using var content = new StringContent(NewTicket(email), System.Text.Encoding.UTF8, contentType);
        var response = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("content-type: application/json", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await OutboxAsync(email));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.example\"},\"subject\":\"x\",\"body\":\"y\",\"channel\":\"api\"}", "unknown field: channel")]
    [InlineData("{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.example\",\"role\":\"admin\"},\"subject\":\"x\",\"body\":\"y\"}", "unknown field: requester.role")]
    [InlineData("{\"clientId\":\"demo\",\"requester\":{\"email\":\"not-an-address\"},\"subject\":\"x\",\"body\":\"y\"}", "requester.email: must be an email address")]
    [InlineData("{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.example\"},\"subject\":\"<b>hi</b>\",\"body\":\"y\"}", "subject: must be plain text (HTML tags are not allowed)")]
    [InlineData("{\"clientId\":\"demo\",\"requester\":{\"email\":\"a@b.example\"},\"subject\":\"a\\r\\nBcc: x@evil.example\",\"body\":\"y\"}", "subject: must be one line of text (no line breaks, control characters or direction overrides)")]
    [InlineData("[1,2]", "request body must be a JSON object with clientId, requester, subject and body")]
    [InlineData("{not json", "request body is not valid JSON")]
    [InlineData("", "request body is empty; send a JSON object")]
    public async Task Bad_requests_get_400_with_an_error_naming_the_field(string body, string error)
    {
        var response = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative), Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(error, json.GetProperty("error").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_body_over_64_KiB_gets_413_whether_declared_or_not()
    {
        var big = new string('a', 64 * 1024 + 1);
        var declared = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative), Json(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal("request body is larger than 65536 bytes", (await declared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        // Chunked: no Content-Length to refuse up front; the read stops past the limit.
        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/tickets", UriKind.Relative)) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var streamed = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("api/tickets/nope", HttpStatusCode.BadRequest, "ticketId: must look like T-1042")]
    [InlineData("api/tickets/T-999999", HttpStatusCode.NotFound, "ticket T-999999 not found")]
    public async Task Looking_up_a_ticket_that_is_not_one_names_why(string path, HttpStatusCode status, string error)
    {
        var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(error, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }
}
