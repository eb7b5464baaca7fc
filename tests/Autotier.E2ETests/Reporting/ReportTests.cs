using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autotier.Adapters;
using Autotier.Application.Ports;
using Autotier.Application.Reporting;
using Autotier.E2ETests.Support;
using Autotier.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Autotier.E2ETests.Reporting;

/// <summary>
/// <c>autotier report</c> against the local host's storage: the CLI's JSON is what
/// <c>GET /api/metrics</c> answers for the same data, the CSV has its rows, and the HTML page,
/// opened in Chromium, shows the same figures, its incidents and branding, under its own CSP.
/// </summary>
[Collection(LocalHostFixture.Collection)]
public sealed class ReportTests(LocalHostFixture host, Chromium chromium) : IClassFixture<Chromium>, IDisposable
{
    private readonly string clientId = "northwind" + Guid.NewGuid().ToString("N")[..8];
    private readonly string work = Directory.CreateTempSubdirectory("report-e2e-").FullName;

    private static string Day(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Dispose() => Directory.Delete(work, recursive: true);

    private Task<CliResult> Cli(params string[] args) => CliRun.RunAsync(
        new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = host.StorageConnection,
            ["AUTOTIER_TABLE_PREFIX"] = host.App.Services.GetRequiredService<StorageNames>().TablePrefix,
        },
        null, args);

    /// <summary>A small logo drawn by the browser itself (a coloured tile with initials), as a PNG data: URI.</summary>
    private async Task<string> LogoAsync(string initials, string colour)
    {
        await using var tab = await chromium.OpenAsync(new ViewportSize { Width = 200, Height = 100 });
        await tab.Page.SetContentAsync(
            $"<div id=\"logo\" style=\"width:48px;height:48px;border-radius:10px;background:{colour};color:#fff;font:700 22px sans-serif;display:flex;align-items:center;justify-content:center\">{initials}</div>");
        var png = await tab.Page.Locator("#logo").ScreenshotAsync(new LocatorScreenshotOptions { OmitBackground = true });
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    private async Task<int> SeedAsync()
    {
        var services = host.App.Services;
        await services.GetRequiredService<IClientStore>().SaveAsync(
            ReportSeed.Profile(clientId, await LogoAsync("C", "#1b5e9e"), await LogoAsync("N", "#1b7f4b")), default);
        return await ReportSeed.WriteAsync(clientId, services.GetRequiredService<IOutcomeLog>(), services.GetRequiredService<IIncidentStore>(), default);
    }

    private async Task<JsonNode> ApiAsync()
    {
        var response = await host.Http.GetAsync(new Uri($"api/metrics?clientId={clientId}&from={Day(ReportSeed.From)}&to={Day(ReportSeed.To)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact(Timeout = 180_000)]
    public async Task The_cli_json_is_what_the_api_answers_for_the_same_data_and_the_csv_has_a_row_per_week_and_category()
    {
        var tickets = await SeedAsync();
        var api = await ApiAsync();

        var cli = await Cli("report", "--client", clientId, "--from", Day(ReportSeed.From), "--to", Day(ReportSeed.To), "--format", "json");
        Assert.Equal(0, cli.Code);
        Assert.True(JsonNode.DeepEquals(api, JsonNode.Parse(cli.Out)), $"the CLI's JSON differs from the API's:\n{cli.Out}\n{api.ToJsonString()}");
        // Not two empty answers: the seeded figures are there, first responses and incidents included.
        Assert.Equal(tickets, api["tickets"]!.GetValue<int>());
        Assert.True(api["firstResponseMs"]!["p50"]!.GetValue<long>() > 0);
        Assert.Equal(["I-ransom", "I-outage"], api["majorIncidents"]!.AsArray().Select(i => i!["incidentId"]!.GetValue<string>()));
        Assert.Equal(8, api["weekly"]!.AsArray().Count);

        // --days: the same range counted back from --to.
        var days = await Cli("report", "--client", clientId, "--days", "56", "--to", Day(ReportSeed.To));
        Assert.Equal(0, days.Code);
        Assert.True(JsonNode.DeepEquals(api, JsonNode.Parse(days.Out)));

        var csvFile = Path.Combine(work, "report.csv");
        var csv = await Cli("report", "--client", clientId, "--from", Day(ReportSeed.From), "--to", Day(ReportSeed.To), "--format", "csv", "--out", csvFile);
        Assert.Equal(0, csv.Code);
        Assert.Equal("", csv.Out);
        var rows = File.ReadAllText(csvFile).TrimEnd().Split("\r\n");
        var categories = api["byCategory"]!.AsObject().Count;
        Assert.Equal(1 + 8 * (1 + categories), rows.Length);
        var firstWeek = api["weekly"]![0]!;
        Assert.StartsWith($"{Day(ReportSeed.From)},all,{firstWeek["tickets"]!.GetValue<int>()},{firstWeek["verified"]!.GetValue<int>()},", rows[1], StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Bad_input_is_one_line_and_exit_2()
    {
        async Task<string> Refused(params string[] args)
        {
            var result = await Cli(args);
            Assert.Equal(2, result.Code);
            return Assert.Single(result.Error);
        }
        Assert.Equal("autotier: --client: no client \"ghost\"", await Refused("report", "--client", "ghost"));
        Assert.StartsWith("autotier: --from: must be an ISO 8601 date", await Refused("report", "--client", "demo", "--from", "yesterday"), StringComparison.Ordinal);
        Assert.Equal("autotier: --days and --from: give one of them", await Refused("report", "--client", "demo", "--days", "7", "--from", "2026-11-01"));
        Assert.Equal("autotier: --format must be json, csv or html, not \"pdf\"", await Refused("report", "--client", "demo", "--format", "pdf"));
    }

    [Fact(Timeout = 180_000)]
    public async Task In_a_browser_the_html_report_shows_the_apis_figures_its_incidents_and_branding_under_its_own_csp()
    {
        await SeedAsync();
        var api = await ApiAsync();
        var file = Path.Combine(work, "report.html");
        var cli = await Cli("report", "--client", clientId, "--from", Day(ReportSeed.From), "--to", Day(ReportSeed.To), "--format", "html", "--out", file);
        Assert.Equal(0, cli.Code);

        await using var tab = await chromium.OpenAsync(Chromium.Desktop);
        var page = tab.Page;
        await page.GotoAsync(new Uri(file).AbsoluteUri);
        Assert.Equal(["Support outcomes: Northwind Dental Practice"], await page.Locator("h1").AllInnerTextsAsync());

        // The same figures as the API: the tiles and the times table.
        async Task<string> Tile(string label) =>
            await page.Locator(".tile").Filter(new() { HasText = label }).Locator("b").InnerTextAsync();
        Assert.Equal(api["tickets"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture), await Tile("tickets received"));
        Assert.Equal(ReportText.Duration(api["firstResponseMs"]!["p50"]!.GetValue<long>()), await Tile("first real answer"));
        Assert.Equal(ReportText.Percent(api["deflection"]!["verified"]!.GetValue<double>()), await Tile("confirmed by the requester"));
        var firstResponse = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "First response", Exact = true }) });
        Assert.Equal(ReportText.Duration(api["firstResponseMs"]!["p95"]!.GetValue<long>()), await firstResponse.Locator("td").Nth(1).InnerTextAsync());

        // Major incidents, state in words.
        var incidents = page.GetByRole(AriaRole.Table, new() { Name = "Outages and security incidents reported by several people" });
        Assert.Equal(2, await incidents.Locator("tbody tr").CountAsync());
        Assert.Contains("Security incident (ransomware)", await incidents.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Still open", await incidents.InnerTextAsync(), StringComparison.Ordinal);

        // Each chart is an image with a name and a text equivalent that lists every week.
        var charts = page.Locator("svg[role=img]");
        Assert.Equal(4, await charts.CountAsync());
        for (var i = 0; i < 4; i++)
        {
            var described = await charts.Nth(i).GetAttributeAsync("aria-describedby");
            var desc = await page.Locator($"[id='{described}']").TextContentAsync();
            Assert.Contains("7 Sep:", desc, StringComparison.Ordinal);
            Assert.Contains("26 Oct:", desc, StringComparison.Ordinal);
        }

        // The CSP let the stylesheet and the inline logos in, and nothing complained.
        Assert.Equal("rgb(27, 94, 158)", await page.Locator("h2").First.EvaluateAsync<string>("h => getComputedStyle(h).borderBottomColor"));
        var logos = page.Locator("header img");
        Assert.Equal(2, await logos.CountAsync());
        Assert.True(await logos.First.EvaluateAsync<int>("i => i.naturalWidth") > 0);
        Assert.Equal("Contoso Managed IT logo", await logos.First.GetAttributeAsync("alt"));
        Assert.Empty(tab.ConsoleErrors);
        await Chromium.ScreenshotAsync(page, "report-csharp.png");

        // One column on a phone: nothing wider than the screen.
        await page.SetViewportSizeAsync(Chromium.Phone.Width, Chromium.Phone.Height);
        var wider = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll') && !e.closest('.skip')).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))");
        Assert.Empty(wider);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
    }
}
