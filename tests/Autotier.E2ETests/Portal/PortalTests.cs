using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.E2ETests.Support;
using Xunit;

namespace Autotier.E2ETests.Portal;

/// <summary>
/// The requester portal on the local host (tests/e2e/portal.test.ts): the form, suggestions, "this
/// solved it", filing, the status page and its tokens, and the limits that cannot be gamed (issue
/// #34 fix 5). Every caller sends an <c>X-Forwarded-For</c> whose last hop (the one the platform's
/// front end would append) is its own, so the per-IP limits count only where a test means them to.
/// </summary>
[Collection(LocalHostFixture.Collection)]
public sealed partial class PortalTests(LocalHostFixture host, Chromium chromium) : IClassFixture<Chromium>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static int lastIp;

    /// <summary>A client of its own that never follows redirects (the 303 is what is tested).</summary>
    private readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false })
    {
        BaseAddress = host.App.BaseAddress,
        // Generous: the machine this runs on is shared, and one slow request is not what these tests are about.
        Timeout = TimeSpan.FromSeconds(90),
    };

    public void Dispose() => http.Dispose();

    /// <summary>A caller address of its own (TEST-NET-3), for the X-Forwarded-For's last hop.</summary>
    private static string NextIp()
    {
        var n = Interlocked.Increment(ref lastIp);
        return $"203.0.{113 + (n / 250)}.{(n % 250) + 1}";
    }

    private async Task<(HttpResponseMessage Response, string Html)> OpenFormAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/portal/demo", UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/html");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static string FormToken(string html)
    {
        var m = FormTokenPattern().Match(html);
        Assert.True(m.Success, "the form carries a form token");
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    [GeneratedRegex("name=\"form\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenPattern();

    private async Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> fields, string? forwardedFor = null, string accept = "text/html")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, path.StartsWith("http", StringComparison.Ordinal) ? UriKind.Absolute : UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Accept.ParseAdd(accept);
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return await http.SendAsync(request);
    }

    /// <summary>Opens the form (a fresh visit) and files it from a caller address of its own.</summary>
    private async Task<HttpResponseMessage> FileAsync(Dictionary<string, string> fields, string? forwardedFor = null)
    {
        fields["form"] = FormToken((await OpenFormAsync()).Html);
        return await PostFormAsync("api/portal/demo/tickets", fields, forwardedFor ?? NextIp());
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string accept = "text/html")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, url.StartsWith("http", StringComparison.Ordinal) ? UriKind.Absolute : UriKind.Relative));
        request.Headers.Accept.ParseAdd(accept);
        return await http.SendAsync(request);
    }

    private async Task<JsonElement> TicketAsync(string id) => await http.GetFromJsonAsync<JsonElement>(new Uri($"api/tickets/{id}", UriKind.Relative));

    private async Task<string> StageAsync(string id, params string[] stages)
    {
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            var stage = (await TicketAsync(id)).GetProperty("stage").GetString()!;
            if (stages.Contains(stage)) return stage;
            await Task.Delay(100, cts.Token);
        }
    }

    /// <summary>
    /// The limits count in fixed clock hours (the local host runs on the real clock here): a test that
    /// fills one waits out the last minutes of an hour rather than straddle two windows, which would
    /// give it two allowances (seen once in a full run at 15:00).
    /// </summary>
    private static async Task WithinOneWindowAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var left = TimeSpan.FromHours(1) - TimeSpan.FromTicks(now.UtcTicks % TimeSpan.TicksPerHour);
        if (left < TimeSpan.FromMinutes(3)) await Task.Delay(left + TimeSpan.FromSeconds(2));
    }

    private async Task<int> DeflectionsAsync() =>
        (await http.GetFromJsonAsync<JsonElement>(new Uri("api/metrics?clientId=demo", UriKind.Relative))).GetProperty("selfServiceDeflections").GetInt32();

    private static string TicketIdOf(string statusUrl) => Regex.Match(statusUrl, @"tickets/(T-\d+)").Groups[1].Value;

    [Fact(Timeout = 60_000)]
    public async Task The_form_is_in_the_clients_name_with_a_strict_csp_one_h1_labelled_fields_and_a_skip_link()
    {
        var (response, html) = await OpenFormAsync();
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Matches("script-src 'sha256-[A-Za-z0-9+/=]+'", csp);
        Assert.Matches("style-src 'sha256-[A-Za-z0-9+/=]+'", csp);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("Demo Dental Group IT support", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<h1"));
        Assert.Contains("<label for=\"subject\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"email\">", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#main\"", html, StringComparison.Ordinal);
        // Each visit a token of its own.
        Assert.NotEqual(FormToken(html), FormToken((await OpenFormAsync()).Html));
    }

    [Fact(Timeout = 60_000)]
    public async Task It_suggests_the_clients_own_articles_as_the_requester_types()
    {
        var response = await GetAsync("api/portal/demo/suggest?q=printer%20offline", "application/json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var articles = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("articles");
        var first = articles[0];
        Assert.Equal("printer-hp-m404", first.GetProperty("id").GetString());
        Assert.Equal(1, first.GetProperty("score").GetDouble());
        Assert.Equal("/api/portal/demo/articles/printer-hp-m404", first.GetProperty("url").GetString());
        Assert.True(articles.GetArrayLength() <= 3);

        var page = await GetAsync(first.GetProperty("url").GetString()!.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("This solved it", html, StringComparison.Ordinal);
        Assert.Contains("Main Street HP printer", html, StringComparison.Ordinal);

        var none = await (await GetAsync("api/portal/demo/suggest?q=pr", "application/json")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, none.GetProperty("articles").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("api/portal/nobody/suggest?q=printer", "application/json")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync($"api/portal/demo/suggest?q={new string('a', 501)}", "application/json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("api/portal/demo/articles/no-such-article")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task This_solved_it_counts_one_deflection_per_visit_however_often_and_for_however_many_articles()
    {
        var before = await DeflectionsAsync();
        var token = FormToken((await OpenFormAsync()).Html);
        var ip = NextIp();
        var first = await PostFormAsync("api/portal/demo/solved", new Dictionary<string, string> { ["form"] = token, ["article"] = "printer-hp-m404" }, ip);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("glad that helped", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A double click, and the other articles of the same visit: still the one visit.
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync("api/portal/demo/solved", new Dictionary<string, string> { ["form"] = token, ["article"] = "printer-hp-m404" }, ip)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync("api/portal/demo/solved", new Dictionary<string, string> { ["form"] = token, ["article"] = "vpn-forticlient" }, ip)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync("api/portal/demo/solved", new Dictionary<string, string> { ["form"] = token, ["article"] = "password-sspr" }, ip)).StatusCode);

        var forged = await PostFormAsync("api/portal/demo/solved", new Dictionary<string, string> { ["form"] = token + "x", ["article"] = "printer-hp-m404" }, ip, "application/json");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.StartsWith("form: ", (await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        var unknown = await PostFormAsync("api/portal/demo/solved", new Dictionary<string, string> { ["form"] = token, ["article"] = "nope" }, ip);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        Assert.Equal(before + 1, await DeflectionsAsync());
    }

    [Fact(Timeout = 300_000)]
    public async Task This_solved_it_cannot_be_inflated_by_fresh_visits_with_a_forged_first_forwarded_for_entry()
    {
        // The attack of issue #34: a fresh visit (free) and a made-up first X-Forwarded-For entry per click.
        await WithinOneWindowAsync();
        var before = await DeflectionsAsync();
        var realHop = NextIp();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            var token = FormToken((await OpenFormAsync()).Html);
            var response = await PostFormAsync("api/portal/demo/solved",
                new Dictionary<string, string> { ["form"] = token, ["article"] = "printer-hp-m404" },
                $"198.51.100.{i + 1}, {realHop}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.Equal("3600", response.Headers.GetValues("Retry-After").Single());
        }
        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(before + 30, await DeflectionsAsync());
    }

    [Fact(Timeout = 420_000)]
    public async Task A_forged_first_forwarded_for_entry_does_not_bypass_the_per_ip_filing_limit()
    {
        await WithinOneWindowAsync();
        var realHop = NextIp();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            // A new address and a new made-up first hop each time: only the platform's last hop is the same.
            var response = await FileAsync(
                new Dictionary<string, string> { ["email"] = $"spoof{i}@demo.example", ["subject"] = $"Spoofed {i}", ["description"] = "x" },
                $"198.51.100.{i + 1}, {realHop}");
            statuses.Add(response.StatusCode);
        }
        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.SeeOther));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.All(statuses.Skip(20), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        // The limit is per caller: another address the platform saw still files.
        var other = await FileAsync(new Dictionary<string, string> { ["email"] = "spoof-other@demo.example", ["subject"] = "Honest", ["description"] = "x" });
        Assert.Equal(HttpStatusCode.SeeOther, other.StatusCode);
    }

    [Fact(Timeout = 300_000)]
    public async Task Anonymous_filing_is_limited_per_address_with_429_retry_after_and_the_form_kept()
    {
        await WithinOneWindowAsync();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await FileAsync(new Dictionary<string, string> { ["email"] = "flood@demo.example", ["subject"] = $"Spam {i}", ["description"] = "x" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
        }
        Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("3600", limited!.Headers.GetValues("Retry-After").Single());
        var html = await limited.Content.ReadAsStringAsync();
        Assert.Contains("too many requests from here this hour", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Spam 5\"", html, StringComparison.Ordinal);
    }

    [Fact(Timeout = 150_000)]
    public async Task A_requester_goes_from_the_portal_page_to_a_resolved_ticket_without_mail()
    {
        const string email = "pat-portal@demo.example";
        var response = await FileAsync(new Dictionary<string, string>
        {
            ["email"] = email, ["name"] = "Pat Kim", ["subject"] = "VPN drops every hour", ["description"] = "FortiClient disconnects every hour.",
        });
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var statusUrl = response.Headers.Location!.ToString();
        Assert.Matches(@"/api/portal/demo/tickets/T-\d+\?token=[\w.%-]+$", statusUrl);
        Assert.DoesNotMatch("(?i)pat|vpn", statusUrl.Split("?token=")[0]);
        var id = TicketIdOf(statusUrl);

        var outbox = await http.GetFromJsonAsync<JsonElement[]>(new Uri($"api/dev/outbox?to={Uri.EscapeDataString(email)}", UriKind.Relative));
        Assert.Contains(outbox!, m => m.GetProperty("text").GetString()!.Contains(statusUrl, StringComparison.Ordinal));

        Assert.Equal("awaiting_confirmation", await StageAsync(id, "awaiting_confirmation", "escalated"));
        var page = await GetAsync(statusUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Did this resolve your issue?", html, StringComparison.Ordinal);
        Assert.Contains("value=\"yes\"", html, StringComparison.Ordinal);
        Assert.Contains("We sent you steps to try", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var answered = await PostFormAsync(statusUrl, new Dictionary<string, string> { ["action"] = "yes" });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("marked your request as resolved", await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await StageAsync(id, "resolved");
        var view = await TicketAsync(id);
        Assert.Equal("portal", view.GetProperty("channel").GetString());
        Assert.False(view.TryGetProperty("statusLink", out _), "the API never shows the requester's link");
        var after = await (await GetAsync(statusUrl)).Content.ReadAsStringAsync();
        Assert.Contains("data-stage=\"resolved\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"yes\"", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await PostFormAsync(statusUrl, new Dictionary<string, string> { ["action"] = "yes" })).StatusCode);
    }

    [Fact(Timeout = 150_000)]
    public async Task Replies_and_the_public_timeline_never_show_internal_notes_and_are_encoded()
    {
        var response = await FileAsync(new Dictionary<string, string>
        {
            ["email"] = "quinn-portal@demo.example", ["subject"] = "File server down", ["description"] = "The file server is down and nobody can open the shared drive",
        });
        var statusUrl = response.Headers.Location!.ToString();
        var id = TicketIdOf(statusUrl);
        await StageAsync(id, "escalated");
        var plan = await http.PostAsync(new Uri($"api/tickets/{id}/events", UriKind.Relative), new StringContent(
            JsonSerializer.Serialize(new { type = "plan", by = "eng@msp.example", note = "INTERNAL: restore from snapshot 42" }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, plan.StatusCode);

        var replied = await PostFormAsync(statusUrl, new Dictionary<string, string> { ["action"] = "reply", ["text"] = "It is <img src=x onerror=alert(1)> still down" });
        Assert.Equal(HttpStatusCode.OK, replied.StatusCode);
        Assert.Contains("added your reply", await replied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(statusUrl, new Dictionary<string, string> { ["action"] = "reply", ["text"] = "Tried again, password: Hunter2$ fails too" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(statusUrl, new Dictionary<string, string> { ["action"] = "reply", ["text"] = "  " })).StatusCode);

        // The replies reach the ticket as a mail reply does (the workflow records them on the conversation).
        string html;
        using (var cts = new CancellationTokenSource(Bound))
        {
            while (true)
            {
                html = await (await GetAsync(statusUrl)).Content.ReadAsStringAsync();
                if (html.Contains("Tried again", StringComparison.Ordinal)) break;
                await Task.Delay(100, cts.Token);
            }
        }
        Assert.Contains("An engineer has your request", html, StringComparison.Ordinal);
        Assert.DoesNotContain("INTERNAL", html, StringComparison.Ordinal);
        Assert.DoesNotContain("snapshot 42", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2", html, StringComparison.Ordinal);
        Assert.Contains("It is <img src=x onerror=alert(1)> still down", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        if ((await TicketAsync(id)).TryGetProperty("escalation", out var escalation) && escalation.TryGetProperty("reason", out var reason) && reason.GetString() is { Length: > 0 } why)
            Assert.DoesNotContain(WebUtility.HtmlEncode(why), html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await PostFormAsync(statusUrl, new Dictionary<string, string> { ["action"] = "yes" })).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task Bad_status_tokens_are_refused_malformed_400_forged_or_another_tickets_403_another_client_404()
    {
        var response = await FileAsync(new Dictionary<string, string> { ["email"] = "rob-portal@demo.example", ["subject"] = "Keyboard", ["description"] = "Keys stick" });
        var statusUrl = response.Headers.Location!.ToString();
        var parts = statusUrl.Split("?token=");
        var (path, token) = (parts[0], Uri.UnescapeDataString(parts[1]));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(statusUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync($"{path}?token=nonsense")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(path)).StatusCode);
        var forged = token[..^2] + (token.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync($"{path}?token={Uri.EscapeDataString(forged)}")).StatusCode);
        var other = Regex.Replace(path, @"T-(\d+)$", m => $"T-{int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 100}");
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync($"{other}?token={Uri.EscapeDataString(token)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"{path.Replace("/demo/", "/other/", StringComparison.Ordinal)}?token={Uri.EscapeDataString(token)}")).StatusCode);
        var json = await GetAsync($"{path}?token={Uri.EscapeDataString(forged)}", "application/json");
        Assert.Equal("token: bad signature", (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // A form token is not a status token, though both are the portal's.
        var formToken = FormToken((await OpenFormAsync()).Html);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync($"{path}?token={Uri.EscapeDataString(formToken)}")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_field_shows_the_form_again_with_what_was_typed_encoded_and_an_unknown_client_is_404()
    {
        var response = await FileAsync(new Dictionary<string, string> { ["email"] = "sam-portal@demo.example", ["subject"] = "<script>alert(\"x\")</script>", ["description"] = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("subject: must be plain text", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\"", html, StringComparison.Ordinal);
        var badEmail = await FileAsync(new Dictionary<string, string> { ["email"] = "not-an-address", ["subject"] = "Help", ["description"] = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        Assert.Contains("email: must be an email address", await badEmail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("api/portal/no-such-client")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("api/portal/BAD_ID")).StatusCode);
        // Not a form, or an expired or forged visit: refused, nothing filed.
        using var json = new StringContent("{}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PostAsync(new Uri("api/portal/demo/tickets", UriKind.Relative), json)).StatusCode);
        var forged = await PostFormAsync("api/portal/demo/tickets", new Dictionary<string, string>
        {
            ["form"] = "eyJ4IjoxfQ.AAAA", ["email"] = "sam-portal@demo.example", ["subject"] = "Help", ["description"] = "x",
        }, NextIp());
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_double_submit_of_one_visit_files_one_ticket_and_json_callers_get_202()
    {
        var token = FormToken((await OpenFormAsync()).Html);
        var fields = new Dictionary<string, string> { ["form"] = token, ["email"] = "twice-portal@demo.example", ["subject"] = "Monitor flickers", ["description"] = "The screen flickers" };
        var first = await PostFormAsync("api/portal/demo/tickets", fields, NextIp(), "application/json");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>();
        var second = await PostFormAsync("api/portal/demo/tickets", fields, NextIp(), "application/json");
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var again = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(body.GetProperty("ticketId").GetString(), again.GetProperty("ticketId").GetString());
        Assert.Equal(body.GetProperty("statusUrl").GetString(), again.GetProperty("statusUrl").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task An_attachment_sent_as_multipart_form_data_is_kept_with_the_ticket_and_one_over_10_mb_is_refused()
    {
        var token = FormToken((await OpenFormAsync()).Html);
        MultipartFormDataContent Form(byte[] file)
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent(token), "form" },
                { new StringContent("tess-portal@demo.example"), "email" },
                { new StringContent("Error on screen"), "subject" },
                { new StringContent("See the screenshot"), "description" },
            };
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            form.Add(content, "attachment", "screen.png");
            return form;
        }
        async Task<HttpResponseMessage> SendAsync(byte[] file)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/portal/demo/tickets", UriKind.Relative)) { Content = Form(file) };
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", NextIp());
            request.Headers.Accept.ParseAdd("text/html");
            return await http.SendAsync(request);
        }

        var tooLarge = await SendAsync(new byte[(10 * 1024 * 1024) + 1]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("attachment: must be at most 10 MB", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var response = await SendAsync(Encoding.ASCII.GetBytes("PNG-ish bytes"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var id = TicketIdOf(response.Headers.Location!.ToString());
        var attachments = (await TicketAsync(id)).GetProperty("attachments");
        var kept = Assert.Single(attachments.EnumerateArray());
        Assert.Equal(("screen.png", "image/png", 13), (kept.GetProperty("filename").GetString(), kept.GetProperty("contentType").GetString(), kept.GetProperty("size").GetInt32()));
    }
}
