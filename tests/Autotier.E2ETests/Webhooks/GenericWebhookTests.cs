using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Autotier.Application.Webhooks;
using Autotier.E2ETests.Support;
using Autotier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Autotier.E2ETests.Webhooks.WebhookHttp;

namespace Autotier.E2ETests.Webhooks;

/// <summary>
/// <c>POST /api/webhooks/generic</c> through the local host over HTTP (tests/e2e/webhooks.test.ts),
/// signed with the local host's development secret, with issue #33's fixes 3, 5, 6, 7 and 8.
/// </summary>
[Collection(LocalHostFixture.Collection)]
public sealed class GenericWebhookTests(LocalHostFixture host)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    private static string Email() => $"w.{Guid.NewGuid():N}@demo.example";

    private static string Id() => "evt-" + Guid.NewGuid().ToString("N");

    [Fact(Timeout = 60_000)]
    public async Task A_signed_delivery_is_accepted_at_once_becomes_a_ticket_from_the_queue_and_a_replay_is_a_duplicate()
    {
        var (id, email) = (Id(), Email());
        var raw = Event(id, email);

        var response = await host.Http.SendAsync(Generic(raw));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, body.GetProperty("eventId").GetString());
        Assert.True(body.GetProperty("accepted").GetBoolean());

        var ticketId = await TicketMailedToAsync(host.Http, email, Bound);
        var ticket = await host.Http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{ticketId}", UriKind.Relative));
        Assert.Equal("VPN drops every hour", ticket.GetProperty("subject").GetString());

        var replay = await host.Http.SendAsync(Generic(raw));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True((await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
    }

    [Fact(Timeout = 60_000)]
    public async Task Unsigned_stale_badly_signed_and_unknown_secret_deliveries_get_401_and_nothing_more()
    {
        var raw = Event(Id(), Email());
        var cases = new[]
        {
            Generic(raw, secret: null),
            Generic(raw, timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 301),
            Generic(raw, timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 301),
            Generic(raw, secret: "not-the-secret"),
        };
        var tampered = Generic(raw);
        tampered.Content = new StringContent(raw.Replace("VPN", "PWN", StringComparison.Ordinal), Encoding.UTF8, "application/json");
        foreach (var request in cases.Append(tampered))
        {
            var response = await host.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("""{"error":"unauthorized"}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Bad_fields_wrong_content_types_and_oversized_bodies_get_a_json_4xx()
    {
        async Task Expect(HttpRequestMessage request, HttpStatusCode status, string error)
        {
            var response = await host.Http.SendAsync(request);
            Assert.Equal(status, response.StatusCode);
            Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            Assert.Equal(error, (await ErrorOf(response)).GetProperty("error").GetString());
        }

        var email = Email();
        await Expect(Generic(Event(Id(), email, requester: new { email, role = "admin" })), HttpStatusCode.BadRequest, "unknown field: requester.role");
        await Expect(Generic($$$"""{"eventId":"{{{Id()}}}","clientId":"demo","requester":{"email":"{{{email}}}","__proto__":{"admin":true}},"subject":"s","body":"b"}"""),
            HttpStatusCode.BadRequest, "unknown field: requester.__proto__");
        await Expect(Generic($$$"""{"eventId":"{{{Id()}}}","constructor":{"prototype":{}},"clientId":"demo","requester":{"email":"{{{email}}}"},"subject":"s","body":"b"}"""),
            HttpStatusCode.BadRequest, "unknown field: constructor");
        await Expect(Generic(Event(Id(), email, subject: "Printer\r\nBcc: all@demo.example")), HttpStatusCode.BadRequest,
            "subject: must be one line of text (no line breaks, control characters or direction overrides)");
        await Expect(Generic("""{"value":[null]}"""), HttpStatusCode.BadRequest, "clientId: is required");
        await Expect(Generic("{"), HttpStatusCode.BadRequest, "body is not valid JSON");
        await Expect(Generic(Event(Id(), email), contentType: "text/plain"), HttpStatusCode.UnsupportedMediaType, "content type must be application/json");
        await Expect(Generic(Event(Id(), email), contentType: "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType, "content type must be application/json");
        await Expect(Generic(Event(Id(), email, body: new string('x', 300 * 1024))), HttpStatusCode.RequestEntityTooLarge, "request body is larger than 262144 bytes");
        await Expect(Generic(""), HttpStatusCode.BadRequest, "request body is empty; send a JSON object");
        Assert.Empty(await OutboxAsync(email));
    }

    private async Task<JsonElement[]> OutboxAsync(string to) =>
        (await host.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(to)}", UriKind.Relative)))!;

    [Fact(Timeout = 60_000)]
    public async Task A_body_past_the_limit_is_refused_as_it_arrives_without_a_declared_length_and_before_auth_when_unsigned()
    {
        // Chunked (no Content-Length): the server stops reading one byte past 256 KiB.
        var signed = Generic(Event(Id(), Email(), body: new string('y', 400 * 1024)));
        signed.Content = new StreamContent(new MemoryStream(await signed.Content!.ReadAsByteArrayAsync())) { Headers = { { "Content-Type", "application/json" } } };
        signed.Headers.TransferEncodingChunked = true;
        var response = await host.Http.SendAsync(signed);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        // Unsigned: 401 from the headers alone, whatever the body's size.
        var unsigned = Generic(Event(Id(), Email(), body: new string('z', 5 * 1024 * 1024)), secret: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(unsigned)).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Line_and_paragraph_separators_and_any_typed_text_in_the_body_become_a_ticket()
    {
        var email = Email();
        var text = "Line one\u2028line two\u2029para \u0000\u001b[2J ‮ 😀 <script>alert(1)</script> %zz";
        var response = await host.Http.SendAsync(Generic(Event(Id(), email, body: text)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ticketId = await TicketMailedToAsync(host.Http, email, Bound);
        Assert.StartsWith("T-", ticketId, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task A_delivery_too_large_for_a_queue_message_becomes_a_ticket_through_a_blob_claim()
    {
        var email = Email();
        var response = await host.Http.SendAsync(Generic(Event(Id(), email, body: new string('b', 19_000) + " printer is jammed")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // Inline: under 48 KiB of base64.
        await TicketMailedToAsync(host.Http, email, Bound);

        var big = Email();
        var raw = JsonSerializer.Serialize(new
        {
            eventId = Id(), clientId = "demo", requester = new { name = "Big", email = big }, subject = "Big delivery",
            body = string.Concat(Enumerable.Repeat("é€😀", 4_500)),
        });
        // Past 48 KiB once base64-encoded for the queue: it goes as a claim.
        Assert.True(Encoding.UTF8.GetByteCount(raw) > 36 * 1024);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.SendAsync(Generic(raw))).StatusCode);
        await TicketMailedToAsync(host.Http, big, Bound);
    }

    [Fact(Timeout = 90_000)]
    public async Task A_delivery_for_an_unknown_client_is_kept_whole_for_review_and_the_cli_assigns_it_as_if_placed()
    {
        var (id, email) = (Id(), Email());
        var raw = Event(id, email, clientId: "nobody-here");
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.SendAsync(Generic(raw))).StatusCode);

        var items = host.App.Services.GetRequiredService<ReviewItems>();
        using var cts = new CancellationTokenSource(Bound);
        ReviewItem? item = null;
        while (item is null)
        {
            item = (await items.ListAsync(cts.Token)).FirstOrDefault(i => i.EventId == id);
            if (item is null) await Task.Delay(100, cts.Token);
        }
        Assert.Equal(("generic", "no client \"nobody-here\" is set up here", raw), (item.Source, item.Reason, item.Raw));

        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = host.StorageConnection };
        var listed = await CliRun.RunAsync(settings, null, "review", "list");
        Assert.Equal(0, listed.Code);
        Assert.Contains(item.Id, listed.Out, StringComparison.Ordinal);
        var line = JsonElement.Parse(listed.Out.Split('\n').First(l => l.Contains(item.Id, StringComparison.Ordinal)));
        Assert.Equal("no client \"nobody-here\" is set up here", line.GetProperty("reason").GetString());

        var refused = await CliRun.RunAsync(settings, null, "review", "assign", item.Id, "--client", "ghost");
        Assert.Equal(2, refused.Code);
        var assigned = await CliRun.RunAsync(settings, null, "review", "assign", item.Id, "--client", "demo");
        Assert.Equal(0, assigned.Code);
        Assert.Contains("\"assigned\":\"demo\"", assigned.Out, StringComparison.Ordinal);

        var ticketId = await TicketMailedToAsync(host.Http, email, Bound);
        Assert.StartsWith("T-", ticketId, StringComparison.Ordinal);
        Assert.DoesNotContain(await items.ListAsync(default), i => i.Id == item.Id);
        Assert.Equal(1, (await CliRun.RunAsync(settings, null, "review", "discard", item.Id)).Code);
    }

    [Fact(Timeout = 60_000)]
    public async Task Malformed_percent_encoding_and_oversized_urls_or_headers_get_a_json_4xx()
    {
        // HttpClient would escape "%zz" itself: the request line goes over a bare socket.
        var (status, text) = await RawHttp.SendAsync(host.App.BaseAddress, "POST /api/webhooks/%zz HTTP/1.1");
        Assert.Equal(400, status);
        Assert.Contains("percent-encoding", JsonElement.Parse(text).GetProperty("error").GetString(), StringComparison.Ordinal);

        var longUrl = await host.Http.PostAsync(new Uri("api/webhooks/generic?x=" + new string('a', 17_000), UriKind.Relative), new StringContent("{}"));
        Assert.Equal((HttpStatusCode)431, longUrl.StatusCode);
        Assert.Contains("too large", (await ErrorOf(longUrl)).GetProperty("error").GetString(), StringComparison.Ordinal);

        var header = Generic(Event(Id(), Email()));
        header.Headers.Add("x-padding", new string('p', 17_000));
        var bigHeader = await host.Http.SendAsync(header);
        Assert.Equal((HttpStatusCode)431, bigHeader.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_psa_that_is_not_connected_answers_404()
    {
        var response = await host.Http.PostAsync(new Uri("api/webhooks/connectwise", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no connectwise connection is configured", (await ErrorOf(response)).GetProperty("error").GetString());
    }
}
