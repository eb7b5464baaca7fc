using System.Net;
using Autotier.E2ETests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Autotier.E2ETests.Portal;

/// <summary>The portal in a real browser (tests/e2e/portalBrowser.test.ts): Debian's Chromium through Playwright.</summary>
public sealed partial class PortalTests
{
    private Uri PortalUrl => new(host.App.BaseAddress, "api/portal/demo");

    /// <summary>The page never scrolls sideways and its content sits in one column no wider than the screen.</summary>
    private static async Task AssertOneColumnAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page scrolls sideways by {overflow}px");
        // Every card starts at the same left edge: one column, nothing side by side.
        var lefts = await page.Locator("main > .card").EvaluateAllAsync<double[]>("cards => cards.map(c => Math.round(c.getBoundingClientRect().left))");
        Assert.Single(lefts.Distinct());
    }

    [Fact(Timeout = 180_000)]
    public async Task In_a_browser_the_form_suggests_articles_as_the_requester_types_and_this_solved_it_counts()
    {
        var before = await DeflectionsAsync();
        await using var tab = await chromium.OpenAsync(Chromium.Desktop, new Dictionary<string, string> { ["X-Forwarded-For"] = NextIp() });
        var page = tab.Page;
        var opened = await page.GotoAsync(PortalUrl.ToString());
        Assert.Equal(200, opened!.Status);
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        // The stylesheet is allowed by its hash under `default-src 'none'`: the header is styled.
        Assert.Equal("rgb(27, 58, 92)", await page.Locator("header").EvaluateAsync<string>("h => getComputedStyle(h).backgroundColor"));
        Assert.True(await page.Locator("#suggestions").IsHiddenAsync());

        await page.GetByLabel("Your email").FillAsync("browser-portal@demo.example");
        await page.GetByLabel("Subject").PressSequentiallyAsync("Printer offline again", new() { Delay = 20 });
        var suggestion = page.Locator("#suggestions li").First;
        await suggestion.WaitForAsync();
        Assert.Contains("Main Street HP printer", await suggestion.Locator("a").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("This solved it", await suggestion.GetByRole(AriaRole.Button).InnerTextAsync());
        Assert.Equal("I still need help: send my request", await page.Locator("#send").InnerTextAsync());
        // The script ran under the CSP (it is allowed by its hash) and nothing was refused.
        Assert.Empty(tab.ConsoleErrors);
        await Chromium.ScreenshotAsync(page, "portal-csharp.png");

        await suggestion.GetByRole(AriaRole.Button, new() { Name = "This solved it" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Great, we're glad that helped" }).WaitForAsync();
        Assert.EndsWith("/api/portal/demo/solved", page.Url, StringComparison.Ordinal);
        Assert.Contains("glad that helped", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(before + 1, await DeflectionsAsync());
    }

    [Fact(Timeout = 240_000)]
    public async Task In_a_browser_a_request_is_filed_and_its_status_page_answers_in_one_column_on_a_phone()
    {
        await using var tab = await chromium.OpenAsync(Chromium.Phone, new Dictionary<string, string> { ["X-Forwarded-For"] = NextIp() });
        var page = tab.Page;
        await page.GotoAsync(PortalUrl.ToString());
        await AssertOneColumnAsync(page);
        await page.GetByLabel("Your email").FillAsync("phone-portal@demo.example");
        await page.GetByLabel("Your name").FillAsync("Robin Phone");
        await page.GetByLabel("Subject").FillAsync("VPN drops every hour");
        await page.GetByLabel("What happened?").FillAsync("FortiClient disconnects every hour, even in the office.");
        await page.Locator("#send").ClickAsync();
        await page.WaitForURLAsync("**/api/portal/demo/tickets/T-*?token=*");
        Assert.Equal("VPN drops every hour", await page.Locator("h1").InnerTextAsync());
        var id = TicketIdOf(page.Url);
        Assert.Equal("awaiting_confirmation", await StageAsync(id, "awaiting_confirmation", "escalated"));

        await page.ReloadAsync();
        var stage = page.Locator(".stage");
        Assert.Equal("We sent you steps to try and are waiting to hear if they worked", await stage.InnerTextAsync());
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Yes, it's fixed" }).IsVisibleAsync());
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "No, I still need help" }).IsVisibleAsync());
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        await AssertOneColumnAsync(page);
        Assert.Empty(tab.ConsoleErrors);
        await Chromium.ScreenshotAsync(page, "portal-status-csharp.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, it's fixed" }).ClickAsync();
        await page.Locator(".notice").WaitForAsync();
        Assert.Contains("marked your request as resolved", await page.Locator(".notice").InnerTextAsync(), StringComparison.Ordinal);
        await StageAsync(id, "resolved");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(page.Url)).StatusCode);
    }
}
