using System.Net;
using System.Text.Json;
using Autotier.Application.Webhooks;
using Autotier.E2ETests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using static Autotier.E2ETests.Support.ClockHostFixture;

namespace Autotier.E2ETests.Ops;

/// <summary>"Needs a home" on the ops pages (issues #33 fix 7, #34 fix 3): seen from the list, assigned or discarded from its page.</summary>
public sealed partial class OpsActionTests
{
    private async Task<ReviewItem> KeepAsync(string email, string subject)
    {
        var eventId = "evt-" + Guid.NewGuid().ToString("N");
        var raw = JsonSerializer.Serialize(new { eventId, clientId = "nobody", requester = new { email }, subject, body = "It will not print." });
        var item = new ReviewItem(ReviewItem.IdFor("generic", eventId), "generic", eventId, "no client \"nobody\" is set up here", raw, host.Now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        await host.App.Services.GetRequiredService<IReviewStore>().KeepAsync(item, default);
        return item;
    }

    [Fact(Timeout = 300_000)]
    public async Task A_delivery_that_needs_a_home_is_seen_from_the_list_and_assigning_it_files_the_ticket_discarding_removes_it()
    {
        const string email = "homeless@demo.example";
        await KeepAsync(email, "Printer on floor 2");
        var other = await KeepAsync("spam@other.example", "Win a prize");

        await using var tab = await chromium.OpenAsync(Chromium.Desktop, OpsHostFixture.KeyHeader);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.App.BaseAddress, "api/ops").ToString());
        // Two here (the other test of this host may have kept one more).
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^[23] deliveries need a home$") }).ClickAsync();
        await page.WaitForURLAsync("**/api/ops/review");
        Assert.Equal("Needs a home", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("no client \"nobody\" is set up here", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Chromium.ScreenshotAsync(page, "ops-review-csharp.png");

        var row = page.Locator("tr", new() { HasText = "Printer on floor 2" });
        await row.GetByLabel("Your name").FillAsync("Priya");
        await row.GetByLabel("Client id").FillAsync("demo");
        await row.GetByRole(AriaRole.Button, new() { Name = "Assign and file" }).ClickAsync();
        await page.Locator("tr", new() { HasText = "Win a prize" }).WaitForAsync();
        Assert.Equal(0, await page.Locator("tr", new() { HasText = "Printer on floor 2" }).CountAsync());
        // Filed as if it had been placed: the requester hears from the demo client's service desk.
        using (var bound = new CancellationTokenSource(Bound))
        {
            while (!(await host.OutboxAsync(email)).Any(m => Subject(m).Contains("We've got your request: Printer on floor 2", StringComparison.Ordinal)))
                await Task.Delay(200, bound.Token);
        }

        var spam = page.Locator("tr", new() { HasText = "Win a prize" });
        await spam.GetByLabel("Your name").FillAsync("Priya");
        await spam.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();
        await page.Locator("tr", new() { HasText = "Win a prize" }).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Null(await host.App.Services.GetRequiredService<IReviewStore>().GetAsync(other.Id, default));
        Assert.True(tab.ConsoleErrors.Count == 0, string.Join("; ", tab.ConsoleErrors));
    }

    [Fact(Timeout = 120_000)]
    public async Task Review_actions_are_refused_without_the_key_or_the_pages_token_and_change_nothing()
    {
        var item = await KeepAsync("kept@demo.example", "Kept");
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = host.App.BaseAddress };
        var path = new Uri($"api/ops/review/{Uri.EscapeDataString(item.Id)}", UriKind.Relative);
        using var noKey = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "discard", ["by"] = "x" }) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(noKey)).StatusCode);
        using var noToken = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "discard", ["by"] = "x" }) };
        noToken.Headers.Add("x-functions-key", OpsHostFixture.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(noToken)).StatusCode);
        // A ticket page's token is not this page's.
        var ticketToken = await TokenAsync(await host.FileAsync("token@demo.example", "Mouse not working", "My wireless mouse stopped working"));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "discard", ["by"] = "x", ["token"] = ticketToken }) };
        wrong.Headers.Add("x-functions-key", OpsHostFixture.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(wrong)).StatusCode);
        Assert.NotNull(await host.App.Services.GetRequiredService<IReviewStore>().GetAsync(item.Id, default));
    }
}
