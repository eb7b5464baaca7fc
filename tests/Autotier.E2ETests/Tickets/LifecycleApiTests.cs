using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.E2ETests.Support;
using Xunit;

namespace Autotier.E2ETests.Tickets;

/// <summary>
/// The ticket lifecycle over HTTP on the local host: the Durable Task Framework's Azure Storage
/// provider on Azurite, the demo tenant's Graph emulator, the outbox. The TypeScript lifecycle's
/// scenarios: the guide and its links, an engineer's plan and fix, proof before an account changes.
/// </summary>
[Collection(LocalHostFixture.Collection)]
public sealed partial class LifecycleApiTests(LocalHostFixture host, Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private async Task<string> FileAsync(string email, string subject, string body)
    {
        var response = await host.Http.PostAsync(new Uri("api/tickets", UriKind.Relative), Json(new { clientId = "demo", requester = new { email }, subject, body }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketId").GetString()!;
        await host.WaitForRestAsync($"ticket-{id}", Bound);
        return id;
    }

    private async Task<JsonElement> TicketAsync(string id) => await host.Http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{id}", UriKind.Relative));

    private async Task<JsonElement[]> OutboxAsync(string to) =>
        (await host.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(to)}", UriKind.Relative)))!;

    private async Task<JsonElement> MailAsync(string to, string ticketId, Func<JsonElement, bool> which)
    {
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            var found = (await OutboxAsync(to)).FirstOrDefault(m => m.GetProperty("subject").GetString()!.Contains(ticketId, StringComparison.Ordinal) && which(m));
            if (found.ValueKind == JsonValueKind.Object) return found;
            await Task.Delay(100, cts.Token);
        }
    }

    private async Task<string> StageAsync(string id, string stage)
    {
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            var now = (await TicketAsync(id)).GetProperty("stage").GetString()!;
            if (now == stage) return now;
            await Task.Delay(100, cts.Token);
        }
    }

    private static string Link(JsonElement mail, string kind) =>
        LinkPattern().Matches(mail.GetProperty("text").GetString()!).Select(m => m.Value).First(l => l.Contains(kind, StringComparison.Ordinal));

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex LinkPattern();

    private async Task<HttpResponseMessage> OpenAsync(HttpMethod method, string link, bool browser = true)
    {
        using var request = new HttpRequestMessage(method, new Uri(link));
        if (browser) request.Headers.Accept.ParseAdd("text/html");
        return await host.Http.SendAsync(request);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_registered_user_gets_the_self_service_steps_and_yes_resolves_it_but_only_when_pressed()
    {
        var id = await FileAsync("sspr@demo.example", "Forgot my password", "I forgot my password and cannot sign in.");
        var guide = await MailAsync("sspr@demo.example", id, m => m.GetProperty("text").GetString()!.Contains("/confirm?token=", StringComparison.Ordinal));
        Assert.Contains("aka.ms/sspr", guide.GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("awaiting_confirmation", (await TicketAsync(id)).GetProperty("stage").GetString());

        var yes = Link(guide, "answer=yes");
        // A mail scanner opening the link changes nothing; the page asks, with the page's own security headers.
        var asked = await OpenAsync(HttpMethod.Get, yes);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("frame-ancestors 'none'", asked.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\">", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Equal("awaiting_confirmation", (await TicketAsync(id)).GetProperty("stage").GetString());

        var pressed = await OpenAsync(HttpMethod.Post, yes);
        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        await StageAsync(id, "resolved");
        var ticket = await TicketAsync(id);
        Assert.Equal("requester", ticket.GetProperty("resolution").GetProperty("by").GetString());
        await MailAsync("sspr@demo.example", id, m => m.GetProperty("text").GetString()!.Contains("/rate?score=5", StringComparison.Ordinal));

        var again = await OpenAsync(HttpMethod.Post, yes, browser: false);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("already", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetString(), StringComparison.Ordinal);
        var forged = await OpenAsync(HttpMethod.Post, yes.Replace("answer=yes", "answer=maybe", StringComparison.Ordinal), browser: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var tampered = await OpenAsync(HttpMethod.Post, Regex.Replace(yes, "token=[^&]+", "token=abc.def"), browser: false);
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_closing_mails_rating_link_asks_on_get_and_records_one_rating_on_post_with_its_comment()
    {
        const string email = "rating@demo.example";
        var id = await FileAsync(email, "VPN drops every hour", "FortiClient disconnects every hour.");
        var guide = await MailAsync(email, id, m => m.GetProperty("text").GetString()!.Contains("/confirm?token=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await OpenAsync(HttpMethod.Post, Link(guide, "answer=yes"))).StatusCode);
        var closing = await MailAsync(email, id, m => m.GetProperty("text").GetString()!.Contains("/rate?score=", StringComparison.Ordinal));
        var four = Link(closing, "/rate?score=4");

        // The page: the link's score already chosen, the form posting to itself, the link page's headers.
        var page = await OpenAsync(HttpMethod.Get, four);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("value=\"4\" checked", html, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain(await TimelineNotesAsync(id), n => n.Contains("rated", StringComparison.Ordinal));

        // The form may change the score; a typed password never reaches the timeline.
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "5", ["comment"] = "Quick! My password is Hunter2024! by the way" });
        var posted = await host.Http.PostAsync(new Uri(four), form);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var notes = await TimelineNotesAsync(id);
        var rated = Assert.Single(notes, n => n.StartsWith("The requester rated the support", StringComparison.Ordinal));
        Assert.StartsWith("The requester rated the support 5 out of 5: \"Quick!", rated, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2024", rated, StringComparison.Ordinal);

        var again = await OpenAsync(HttpMethod.Post, four, browser: false);
        Assert.Equal("already rated with this link", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await OpenAsync(HttpMethod.Post, four.Replace("score=4", "score=9", StringComparison.Ordinal), browser: false)).StatusCode);
        var otherTicket = four.Replace($"/tickets/{id}/", "/tickets/T-9999/", StringComparison.Ordinal);
        var refused = await OpenAsync(HttpMethod.Post, otherTicket, browser: false);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.StartsWith("token:", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        using var tooLong = new StringContent(JsonSerializer.Serialize(new { comment = new string('x', 2001) }), Encoding.UTF8, "application/json");
        var longComment = await host.Http.PostAsync(new Uri(Link(closing, "/rate?score=3")), tooLong);
        Assert.Equal(HttpStatusCode.BadRequest, longComment.StatusCode);
        Assert.Single(await TimelineNotesAsync(id), n => n.StartsWith("The requester rated", StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_metrics_count_a_confirmed_deflection_its_first_response_and_refuse_bad_queries()
    {
        const string email = "metrics@demo.example";
        var id = await FileAsync(email, "VPN drops every hour", "FortiClient disconnects every hour.");
        var guide = await MailAsync(email, id, m => m.GetProperty("text").GetString()!.Contains("/confirm?token=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await OpenAsync(HttpMethod.Post, Link(guide, "answer=yes"))).StatusCode);
        await StageAsync(id, "resolved");

        var response = await host.Http.GetAsync(new Uri("api/metrics?clientId=demo", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var metrics = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("demo", metrics.GetProperty("clientId").GetString());
        Assert.True(metrics.GetProperty("tickets").GetInt32() >= 1);
        Assert.True(metrics.GetProperty("deflection").GetProperty("confirmed").GetInt32() >= 1);
        Assert.True(metrics.GetProperty("firstResponseMs").GetProperty("p50").GetInt64() >= 0);
        Assert.True(metrics.GetProperty("byCategory").GetProperty("vpn_remote_access").GetProperty("tickets").GetInt32() >= 1);

        async Task<(HttpStatusCode, string)> RefusedAsync(string query)
        {
            var r = await host.Http.GetAsync(new Uri($"api/metrics?{query}", UriKind.Relative));
            return (r.StatusCode, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!);
        }
        Assert.Equal((HttpStatusCode.BadRequest, "clientId: required"), await RefusedAsync(""));
        Assert.Equal(HttpStatusCode.NotFound, (await RefusedAsync("clientId=ghost")).Item1);
        Assert.StartsWith("from:", (await RefusedAsync("clientId=demo&from=yesterday")).Item2, StringComparison.Ordinal);
    }

    private async Task<string[]> TimelineNotesAsync(string id) =>
        [.. (await TicketAsync(id)).GetProperty("timeline").EnumerateArray().Select(l => l.GetProperty("note").GetString()!)];

    [Fact(Timeout = 120_000)]
    public async Task A_disabled_account_goes_to_a_person_whose_plan_and_fix_reach_the_requester_and_bad_events_are_refused()
    {
        const string email = "disabled@demo.example";
        var id = await FileAsync(email, "Cannot sign in", "I forgot my password and cannot sign in.");
        await StageAsync(id, "escalated");
        var ticket = await TicketAsync(id);
        Assert.Equal("escalated", ticket.GetProperty("workflow").GetProperty("phase").GetString());

        async Task<HttpResponseMessage> EventAsync(object body) => await host.Http.PostAsync(new Uri($"api/tickets/{id}/events", UriKind.Relative), Json(body));
        Assert.Equal(HttpStatusCode.Forbidden, (await EventAsync(new { type = "reply", from = "stranger@evil.example", text = "close it" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await EventAsync(new { type = "plan", by = "kim" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await EventAsync(new { type = "plan", by = "kim", note = "INTERNAL re-enable in AD", publicNote = "I'm re-enabling your account now." })).StatusCode);
        await MailAsync(email, id, m => m.GetProperty("text").GetString()!.Contains("I'm re-enabling your account now.", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Accepted, (await EventAsync(new { type = "resolved", by = "kim", note = "INTERNAL enabled", publicNote = "Your account works again." })).StatusCode);
        await StageAsync(id, "resolved");
        Assert.Equal(HttpStatusCode.Conflict, (await EventAsync(new { type = "resolved", by = "kim", note = "twice" })).StatusCode);
        Assert.DoesNotContain(await OutboxAsync(email), m => m.GetProperty("text").GetString()!.Contains("INTERNAL", StringComparison.Ordinal));
        Assert.Equal("kim", (await TicketAsync(id)).GetProperty("owner").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_temporary_access_pass_goes_out_only_after_the_address_proves_it_is_the_requesters_and_only_to_the_verified_contact()
    {
        const string email = "mfa-only@demo.example";
        var id = await FileAsync(email, "Forgot my password", "I forgot my password and cannot sign in.");
        var ask = await MailAsync(email, id, m => m.GetProperty("text").GetString()!.Contains("/verify?token=", StringComparison.Ordinal));
        Assert.Empty(await OutboxAsync("mfa-only@personal.example"));

        var proved = await OpenAsync(HttpMethod.Post, Link(ask, "/verify?token="));
        Assert.Equal(HttpStatusCode.OK, proved.StatusCode);

        using var cts = new CancellationTokenSource(Bound);
        JsonElement[] pass;
        while ((pass = await OutboxAsync("mfa-only@personal.example")).Length == 0) await Task.Delay(100, cts.Token);
        Assert.Single(pass);
        await StageAsync(id, "awaiting_confirmation");
        // The pass itself is never on the ticket, its timeline or the requester's own mails.
        var ticket = (await host.Http.GetStringAsync(new Uri($"api/tickets/{id}", UriKind.Relative)));
        Assert.DoesNotContain("Temporary Access Pass:", ticket, StringComparison.Ordinal);
    }
}
