using System.Net;
using System.Text.Json;
using System.Net.Http.Json;
using Autotier.E2ETests.Support;
using Microsoft.Playwright;
using Xunit;
using static Autotier.E2ETests.Support.ClockHostFixture;

namespace Autotier.E2ETests.Ops;

/// <summary>
/// The local host with the virtual clock, an ops key, and a Monday of tickets the ops page is for
/// (filed once, on first use): one whose SLA is breached, one at risk whose workflow is suspended
/// past its next deadline (overdue), a P1, and one waiting on its requester with markup in its subject.
/// </summary>
public sealed class OpsHostFixture : ClockHostFixture
{
    public const string Key = "ops-key-for-the-e2e-tests-0123456789";

    private readonly object gate = new();
    private Task<OpsScenario>? scenario;

    protected override IReadOnlyDictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        settings["AUTOTIER_OPS_KEY"] = Key;
        return settings;
    }

    public static IReadOnlyDictionary<string, string> KeyHeader { get; } = new Dictionary<string, string> { ["x-functions-key"] = Key };

    /// <summary>The scenario, filed by the first test that asks (the clock is shared, so once per host).</summary>
    public Task<OpsScenario> ScenarioAsync()
    {
        lock (gate) return scenario ??= FileScenarioAsync();
    }

    private async Task<OpsScenario> FileScenarioAsync()
    {
        // The demo client: standard SLA (1 h response, 4 h resolution in business hours, Mon-Fri 08-18 London).
        var monday = Next(DayOfWeek.Monday, 10);
        await AdvanceToAsync(monday);
        var breached = await FileAsync("dev@demo.example", "File server down", "The file server is down and nobody can open the shared drive", "Dev Patel");
        await StageAsync(breached, "escalated");

        await AdvanceToAsync(monday.AddMinutes(140));
        const string cara = "cara@demo.example";
        var atRisk = await FileAsync(cara, "VPN keeps dropping", "FortiClient disconnects every few minutes at home.", "Cara Singh");
        var guide = await MailAsync(cara, atRisk, m => Text(m).Contains("answer=no", StringComparison.Ordinal), "guide");
        await ClickAsync(Link(guide, "answer=no"));
        await StageAsync(atRisk, "escalated");
        await ViewWhenAsync(atRisk, v => v.GetProperty("workflow").TryGetProperty("nextDeadline", out _), "a next deadline");
        // Suspended, its tier time limit passes without it waking: overdue, a stuck workflow (not an SLA state).
        await App.Durable.SuspendInstanceAsync($"ticket-{atRisk}", "the ops page test");

        await AdvanceToAsync(monday.AddMinutes(180));
        var p1 = await FileAsync("ron@demo.example", "Files encrypted", "A ransomware note appeared and encrypted our files", "Ron Hale");
        await StageAsync(p1, "escalated");
        var waiting = await FileAsync("eli@demo.example", "Mouse \"frozen\" & stuck <3 days", "My wireless mouse stopped working <img src=x onerror=alert(1)>", "Eli O'Moss");

        // 13:06: the first ticket's response was due at 11:00 (breached); the VPN one's is due at
        // 13:20, 46 of its 60 minutes gone (at risk); the P1's 15 minutes run from 13:00.
        await AdvanceToAsync(monday.AddMinutes(186));
        return new OpsScenario(breached, atRisk, p1, waiting);
    }
}

public sealed record OpsScenario(string Breached, string AtRisk, string P1, string Waiting)
{
    public IReadOnlyList<string> All => [Breached, AtRisk, P1, Waiting];
}

/// <summary>The ops pages over HTTP and in Debian's Chromium (tests/e2e/ops.test.ts and opsBrowser.test.ts).</summary>
public sealed class OpsPageTests(OpsHostFixture host, Chromium chromium) : IClassFixture<OpsHostFixture>, IClassFixture<Chromium>
{
    private async Task<HttpResponseMessage> GetAsync(string path, bool key = true, bool browser = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (key) request.Headers.Add("x-functions-key", OpsHostFixture.Key);
        if (browser) request.Headers.Add("Accept", "text/html");
        return await host.Http.SendAsync(request);
    }

    private async Task<BrowserPage> OpenAsync(ViewportSize size) => await chromium.OpenAsync(size, OpsHostFixture.KeyHeader);

    [Fact(Timeout = 300_000)]
    public async Task Refuses_without_the_key_names_bad_filters_and_sends_the_security_headers()
    {
        var s = await host.ScenarioAsync();

        var noKey = await GetAsync("api/ops", key: false);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.StartsWith("{\"error\":", await noKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync($"api/ops/tickets/{s.Breached}", key: false, browser: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("api/ops?code=not-the-key", key: false)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"api/ops?code={OpsHostFixture.Key}", key: false)).StatusCode);
        // With sign-in off, a principal is not a way in, however it is written: the platform's headers
        // (which the local host strips, as Azure's front end does) or the local sign-in simulation's (off here).
        using (var forged = new HttpRequestMessage(HttpMethod.Get, new Uri("api/ops", UriKind.Relative)))
        {
            forged.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "mallory@msp.example");
            forged.Headers.Add("X-MS-CLIENT-PRINCIPAL", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("""{"claims":[{"typ":"roles","val":"Ops.Read"}]}""")));
            forged.Headers.Add(Autotier.LocalHost.Http.LocalSignIn.Header, """{"email":"mallory@msp.example","roles":["Ops.Read"]}""");
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(forged)).StatusCode);
        }

        var ok = await GetAsync("api/ops");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var csp = ok.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("no-referrer", ok.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", ok.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", ok.Headers.CacheControl!.ToString());
        var html = await ok.Content.ReadAsStringAsync();
        // What people typed is text, never markup.
        Assert.Contains("Mouse &quot;frozen&quot; &amp; stuck &lt;3 days", html, StringComparison.Ordinal);
        var ticketHtml = await (await GetAsync($"api/ops/tickets/{s.Waiting}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<img src=x", ticketHtml, StringComparison.Ordinal);
        Assert.Contains("stuck &lt;3 days", ticketHtml, StringComparison.Ordinal);
        Assert.Contains("Eli O&#39;Moss", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("api/ops?stage=done")).StatusCode);
        Assert.Equal("{\"error\":\"unknown filter: colour\"}", await (await GetAsync("api/ops?colour=red")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("api/ops?client=nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("api/ops/tickets/1042")).StatusCode);
        var missing = await GetAsync("api/ops/tickets/T-999999", browser: true);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("<h1>No such ticket</h1>", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task The_list_shows_the_P1_first_then_the_breached_and_at_risk_SLAs_in_words_nothing_cut_off_at_1280_px()
    {
        var s = await host.ScenarioAsync();
        await using var tab = await OpenAsync(Chromium.Desktop);
        var page = tab.Page;

        Assert.Equal(200, (await page.GotoAsync(new Uri(host.App.BaseAddress, "api/ops").ToString()))!.Status);

        Assert.Equal(1, await page.Locator("h1").CountAsync());
        var order = await page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.ticketId)");
        foreach (var id in s.All) Assert.Contains(id, order);
        // P1s first and marked (the ransomware report and the file server outage both are), the
        // breached one ahead of the one still on track; then by priority and the next SLA due time.
        var priorities = await page.Locator("tbody tr td[data-label='Priority']").AllInnerTextsAsync();
        Assert.Equal(["P1 major", "P1 major", "P3", "P3"], priorities.Select(p => p.Trim()));
        Assert.Equal([s.Breached, s.P1, s.AtRisk, s.Waiting], order);
        Assert.Equal(2, await page.Locator("tr.is-p1").CountAsync());
        Assert.Equal("Breached", await page.Locator($"tr[data-ticket-id='{s.Breached}']").GetAttributeAsync("data-sla"));
        Assert.Equal("AtRisk", await page.Locator($"tr[data-ticket-id='{s.AtRisk}']").GetAttributeAsync("data-sla"));
        var breachedSla = await page.Locator($"tr[data-ticket-id='{s.Breached}'] td[data-label='SLA']").InnerTextAsync();
        Assert.Contains("Response breached", breachedSla, StringComparison.Ordinal);
        Assert.Contains("Response at risk", await page.Locator($"tr[data-ticket-id='{s.AtRisk}'] td[data-label='SLA']").InnerTextAsync(), StringComparison.Ordinal);
        // In colour as well as words: the breach in the page's red, the risk in its amber.
        Assert.Equal("rgb(163, 20, 11)", await page.Locator($"tr[data-ticket-id='{s.Breached}'] .sla.Breached").First.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.Equal("rgb(122, 75, 0)", await page.Locator($"tr[data-ticket-id='{s.AtRisk}'] .sla.AtRisk").First.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.Contains("Dev Patel", await page.Locator($"tr[data-ticket-id='{s.Breached}'] td[data-label='Requester']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("nobody yet", await page.Locator($"tr[data-ticket-id='{s.Breached}'] td[data-label='Owner']").InnerTextAsync());
        Assert.Contains("Overdue", await page.Locator($"tr[data-ticket-id='{s.AtRisk}'] td[data-label='Next deadline']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("with the SLA breached or at risk", await page.Locator("#tickets-h").InnerTextAsync(), StringComparison.Ordinal);
        // Nothing cut off: the page is no wider than the window, and no cell spills out of the table.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the list scrolls sideways at 1280 px");
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('td,th')].every(c => c.scrollWidth <= c.clientWidth + 1)"), "a cell's content is cut off");
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('table')].every(t => t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right)"), "the table is wider than its card");
        Assert.True(tab.ConsoleErrors.Count == 0, string.Join("; ", tab.ConsoleErrors));
        await AssertOutcomesAsync(page);
        await Chromium.ScreenshotAsync(page, "ops-list-csharp.png");
    }

    /// <summary>
    /// The outcomes under the list: the figures GET /api/metrics answers for the same client and
    /// range (the page states it), each a value with its meaning in words, the open P1s, and the
    /// report's weekly charts with their values in their text equivalent.
    /// </summary>
    private async Task AssertOutcomesAsync(IPage page)
    {
        var section = page.Locator("#metrics");
        Assert.Equal("Outcomes for Demo Dental Group, the last 30 days", (await page.Locator("#metrics-h").InnerTextAsync()).Trim());
        var range = await section.Locator(".note time").EvaluateAllAsync<string[]>("ts => ts.map(t => t.getAttribute('datetime'))");
        Assert.Equal(2, range.Length);
        var to = DateTimeOffset.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture).AddMilliseconds(1);
        var metrics = await host.Http.GetFromJsonAsync<JsonElement>(new Uri(
            $"api/metrics?clientId=demo&from={Uri.EscapeDataString(range[0])}&to={Uri.EscapeDataString(to.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture))}", UriKind.Relative));
        Assert.Equal(range[0], metrics.GetProperty("from").GetString());

        async Task<string> Tile(string label) =>
            (await section.Locator(".tile").Filter(new() { HasText = label }).Locator("b").InnerTextAsync()).Trim();
        var tickets = metrics.GetProperty("tickets").GetInt32();
        Assert.True(tickets >= 4, $"the scenario's four tickets were received in the range; the API counts {tickets}");
        Assert.Equal(tickets.ToString(System.Globalization.CultureInfo.InvariantCulture), await Tile("tickets received"));
        var breaches = metrics.GetProperty("slaBreaches");
        var missed = breaches.GetProperty("response").GetInt32() + breaches.GetProperty("resolution").GetInt32();
        Assert.True(missed >= 1, "the file server ticket's response deadline passed at 11:00");
        Assert.Equal(missed.ToString(System.Globalization.CultureInfo.InvariantCulture), await Tile("SLA deadlines missed"));
        Assert.Equal(Math.Round(metrics.GetProperty("deflection").GetProperty("verified").GetDouble() * 100, 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + "%",
            await Tile("resolved by automation and confirmed"));
        Assert.Equal(Math.Round(metrics.GetProperty("reopenRate").GetDouble() * 100, 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + "%", await Tile("tickets reopened"));
        Assert.Contains("satisfaction from " + metrics.GetProperty("csat").GetProperty("responses").GetInt32(), await section.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("engineer interruptions per working day", await section.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("typical time to a first real answer", await section.InnerTextAsync(), StringComparison.Ordinal);
        // The two P1s of the scenario are open (escalated), and that tile says so in red as well as words.
        Assert.Equal("2", await Tile("open P1 tickets in the list above"));
        Assert.Equal(1, await section.Locator(".tile.is-p1").CountAsync());
        // Charts: inline SVG whose text equivalent lists every week's values.
        var charts = section.Locator("figure svg[role=img]");
        Assert.Equal(2, await charts.CountAsync());
        var weeks = metrics.GetProperty("weekly").GetArrayLength();
        Assert.True(weeks >= 5, "thirty days touch five weeks at least");
        Assert.Equal(weeks, (await section.Locator("#tickets-d").TextContentAsync())!.Split(';').Length);
        // The deflection chart writes each week's value over its bar ("–" for a week without tickets).
        Assert.Equal(weeks, await section.Locator("svg[aria-labelledby='deflection-t'] text[fill='#1d1d1f']").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the outcomes scroll sideways at 1280 px");

        // Another period: the heading and the figures' range follow it; a bad one is named back.
        var week = await (await GetAsync("api/ops?days=7", browser: true)).Content.ReadAsStringAsync();
        Assert.Contains("Outcomes for Demo Dental Group, the last 7 days</h2>", week, StringComparison.Ordinal);
        Assert.Contains("<option value=\"7\" selected>", week, StringComparison.Ordinal);
        Assert.Equal("{\"error\":\"days: must be a whole number from 1 to 366\"}", await (await GetAsync("api/ops?days=0")).Content.ReadAsStringAsync());
        // Metrics are per client: a list that is not one client's (no failed workflow here: none) asks for one.
        var failed = await (await GetAsync("api/ops?failed=1", browser: true)).Content.ReadAsStringAsync();
        Assert.Contains("choose a client in the filter to see its outcomes", failed, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"tile", failed, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task The_SLA_filter_keeps_the_breached_and_at_risk_and_overdue_stays_its_own_filter()
    {
        var s = await host.ScenarioAsync();
        await using var tab = await OpenAsync(Chromium.Desktop);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.App.BaseAddress, "api/ops").ToString());

        await page.GetByRole(AriaRole.Checkbox, new() { Name = "SLA breached or at risk" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await page.WaitForURLAsync("**/api/ops?*sla=1*");
        var rows = await page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.ticketId)");
        Assert.Equal([s.Breached, s.AtRisk], rows.Order(StringComparer.Ordinal));
        Assert.True(await page.GetByRole(AriaRole.Checkbox, new() { Name = "SLA breached or at risk" }).IsCheckedAsync());

        await page.GotoAsync(new Uri(host.App.BaseAddress, "api/ops?overdue=1").ToString());
        var overdue = await page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.ticketId)");
        Assert.Equal([s.AtRisk], overdue);
        Assert.Contains("is-overdue", await page.Locator($"tr[data-ticket-id='{s.AtRisk}']").GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_ticket_page_shows_its_fields_SLA_timeline_escalation_package_and_Durable_history()
    {
        var s = await host.ScenarioAsync();
        await using var tab = await OpenAsync(new ViewportSize { Width = 1400, Height = 1800 });
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.App.BaseAddress, "api/ops").ToString());

        await page.GetByRole(AriaRole.Link, new() { Name = s.Breached, Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/api/ops/tickets/{s.Breached}");

        Assert.Equal($"{s.Breached}: File server down", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        Assert.Contains("Dev Patel <dev@demo.example>", await page.Locator("#ticket-h + dl").InnerTextAsync(), StringComparison.Ordinal);
        var sla = await page.Locator("section[aria-labelledby=sla-h]").InnerTextAsync();
        Assert.Contains("Response breached", sla, StringComparison.Ordinal);
        Assert.Contains("standard", sla, StringComparison.Ordinal);
        // Issue #34 fix 6: which client settings decided (the demo client's defaults; Dev is no VIP).
        var settings = await page.Locator("section[aria-labelledby=settings-h]").InnerTextAsync();
        Assert.Contains("Automation threshold (autoThreshold)", settings, StringComparison.Ordinal);
        Assert.Contains("0.6", settings, StringComparison.Ordinal);
        Assert.Matches(@"VIP requester \(vipEmails\)\s+no", settings);
        Assert.Matches(@"time limit \(lifecycle\.tierLimitMinutes\.\d\)\s+\d+ minutes to record a plan", settings);
        Assert.Contains("Europe/London", settings, StringComparison.Ordinal);
        Assert.True(await page.Locator("section[aria-labelledby=timeline-h] tbody tr").CountAsync() >= 2);
        Assert.Contains("Suggested steps", await page.Locator("section[aria-labelledby=escalation-h]").InnerTextAsync(), StringComparison.Ordinal);
        var history = await page.Locator("section[aria-labelledby=history-h] tbody").InnerTextAsync();
        Assert.Contains("ExecutionStarted", history, StringComparison.Ordinal);
        Assert.Contains("TaskCompleted", history, StringComparison.Ordinal);
        Assert.Contains("TimerCreated", history, StringComparison.Ordinal);
        Assert.Contains("Running", await page.Locator("section[aria-labelledby=workflow-h]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        Assert.True(tab.ConsoleErrors.Count == 0, string.Join("; ", tab.ConsoleErrors));
        await Chromium.ScreenshotAsync(page, "ops-ticket-csharp.png");

        await page.GetByRole(AriaRole.Link, new() { Name = "All tickets" }).ClickAsync();
        await page.WaitForURLAsync("**/api/ops");
    }

    [Fact(Timeout = 300_000)]
    public async Task On_a_phone_the_list_reads_as_one_column_of_labelled_cards()
    {
        var s = await host.ScenarioAsync();
        await using var tab = await OpenAsync(Chromium.Phone);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.App.BaseAddress, "api/ops").ToString());

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the list scrolls sideways on a phone");
        var row = page.Locator($"tr[data-ticket-id='{s.Breached}']");
        Assert.Equal("block", await row.EvaluateAsync<string>("r => getComputedStyle(r).display"));
        // Each cell sits under the one before, with its column's name.
        Assert.True(await row.EvaluateAsync<bool>("r => { const c = [...r.children]; return c.every((x, i) => i === 0 || x.getBoundingClientRect().top >= c[i - 1].getBoundingClientRect().bottom - 1); }"));
        Assert.Equal("\"SLA: \"", await page.Locator($"tr[data-ticket-id='{s.Breached}'] td[data-label='SLA']").EvaluateAsync<string>("c => getComputedStyle(c, '::before').content"));
        await Chromium.ScreenshotAsync(page, "ops-list-phone-csharp.png");
    }
}
