using Autotier.E2ETests.Support;
using Microsoft.Playwright;
using Xunit;

namespace Autotier.E2ETests.Tickets;

/// <summary>The rating page in a real browser (Debian's Chromium through Playwright).</summary>
public sealed partial class LifecycleApiTests
{
    [Fact(Timeout = 180_000)]
    public async Task In_a_browser_the_rating_page_shows_the_links_score_applies_its_styles_and_sends_a_changed_score_once()
    {
        const string email = "rate-browser@demo.example";
        var id = await FileAsync(email, "VPN drops every hour", "FortiClient disconnects every hour.");
        var guide = await MailAsync(email, id, m => m.GetProperty("text").GetString()!.Contains("/confirm?token=", StringComparison.Ordinal));
        await OpenAsync(HttpMethod.Post, Link(guide, "answer=yes"));
        var closing = await MailAsync(email, id, m => m.GetProperty("text").GetString()!.Contains("/rate?score=", StringComparison.Ordinal));

        await using var tab = await chromium.OpenAsync(Chromium.Phone);
        var page = tab.Page;
        var opened = await page.GotoAsync(Link(closing, "/rate?score=2"));
        Assert.Equal(200, opened!.Status);
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        Assert.True(await page.GetByRole(AriaRole.Radio, new() { Name = "2 -", Exact = false }).IsCheckedAsync());
        // The stylesheet is allowed by its hash under `default-src 'none'`: the button is styled, so the CSP let it in.
        Assert.Equal("rgb(27, 94, 158)", await page.Locator("button[type=submit]").EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
        Assert.Empty(tab.ConsoleErrors);
        // Opening the page changed nothing.
        Assert.DoesNotContain(await TimelineNotesAsync(id), n => n.Contains("rated", StringComparison.Ordinal));
        await Chromium.ScreenshotAsync(page, "rate-page-csharp.png");

        await page.GetByRole(AriaRole.Radio, new() { Name = "5 -", Exact = false }).CheckAsync();
        await page.GetByLabel("Anything you would like to tell us? (optional)").FillAsync("Sorted in minutes, thank you");
        // Wait for the page the POST answers with (the form page itself says "Thanks for taking a moment").
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my rating" }).ClickAsync();
        await page.Locator("h1", new() { HasText = "Thank you!" }).WaitForAsync();
        var rated = Assert.Single(await TimelineNotesAsync(id), n => n.StartsWith("The requester rated", StringComparison.Ordinal));
        Assert.StartsWith("The requester rated the support 5 out of 5", rated, StringComparison.Ordinal);

        // Back and send again: the link is single-use, the page says so, and nothing more is recorded.
        await page.GoBackAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my rating" }).ClickAsync();
        await page.Locator("h1", new() { HasText = "already have your rating" }).WaitForAsync();
        Assert.Single(await TimelineNotesAsync(id), n => n.StartsWith("The requester rated", StringComparison.Ordinal));
    }
}
