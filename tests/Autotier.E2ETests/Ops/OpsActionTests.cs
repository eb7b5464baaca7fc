using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autotier.E2ETests.Support;
using Microsoft.Playwright;
using Xunit;
using static Autotier.E2ETests.Support.ClockHostFixture;

namespace Autotier.E2ETests.Ops;

/// <summary>
/// The ticket page's actions end to end (issue #34 fix 2): the form, the POST, the timeline with who
/// did it, the workflow's reaction; and the refusals without the access rule or the token. A host of
/// their own, so the tickets they change are not in the list the other ops tests read.
/// </summary>
public sealed partial class OpsActionTests(OpsHostFixture host, Chromium chromium) : IClassFixture<OpsHostFixture>, IClassFixture<Chromium>
{
    private static bool TimelineSays(JsonElement view, string text) => OpsForm.TimelineSays(view, text);

    private Task<HttpResponseMessage> PostAsync(string id, IReadOnlyDictionary<string, string> form, bool key = true) => OpsForm.PostAsync(host, id, form, key);

    private Task<string> TokenAsync(string id) => OpsForm.TokenAsync(host, id);

    [Fact(Timeout = 300_000)]
    public async Task An_engineer_records_a_plan_assigns_an_owner_and_resolves_from_the_page_each_on_the_timeline_with_who()
    {
        await host.AdvanceToAsync(host.NextWorkday(9));
        const string email = "server@demo.example";
        var id = await host.FileAsync(email, "Server room", "The file server is down for everyone", "Sam Lee");
        await host.StageAsync(id, "escalated");

        await using var tab = await chromium.OpenAsync(new ViewportSize { Width = 1400, Height = 1800 }, OpsHostFixture.KeyHeader);
        var page = tab.Page;
        await page.GotoAsync(new Uri(host.App.BaseAddress, $"api/ops/tickets/{id}").ToString());

        // Record a plan, with a note to the requester: the workflow records it (a person responded) and mails it.
        var plan = page.Locator("form[aria-labelledby=plan-h]");
        await plan.GetByLabel("Your name").FillAsync("Priya");
        await plan.GetByLabel("Internal note (the timeline and the PSA, never mailed)").FillAsync("Restarting the storage controller");
        await plan.GetByLabel("Note to the requester (optional, mailed)").FillAsync("We are restarting the server now.");
        await plan.GetByRole(AriaRole.Button, new() { Name = "Record the plan" }).ClickAsync();
        await page.WaitForURLAsync($"**/api/ops/tickets/{id}");
        var planned = await host.ViewWhenAsync(id, v => TimelineSays(v, "Priya (ops key)"), "the plan on the timeline");
        Assert.Equal("Priya (ops key)", planned.GetProperty("owner").GetString());
        await host.MailAsync(email, id, m => Text(m).Contains("We are restarting the server now.", StringComparison.Ordinal), "the plan's mail");

        // Assign an owner.
        await page.ReloadAsync();
        var assign = page.Locator("form[aria-labelledby=assign-h]");
        await assign.GetByLabel("Your name").FillAsync("Priya");
        await assign.GetByLabel("Owner").FillAsync("Sam Ortiz");
        await assign.GetByRole(AriaRole.Button, new() { Name = "Assign" }).ClickAsync();
        await page.WaitForURLAsync($"**/api/ops/tickets/{id}");
        Assert.Contains("Sam Ortiz", await page.Locator("#ticket-h + dl").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Owner set to Sam Ortiz by Priya (ops key)", await page.Locator("section[aria-labelledby=timeline-h]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(tab.ConsoleErrors.Count == 0, string.Join("; ", tab.ConsoleErrors));
        await Chromium.ScreenshotAsync(page, "ops-ticket-actions-csharp.png");

        // Resolve: the workflow moves the ticket to resolved and tells the requester.
        var resolve = page.Locator("form[aria-labelledby=resolve-h]");
        await resolve.GetByLabel("Your name").FillAsync("Sam Ortiz");
        await resolve.GetByLabel("Internal note (the timeline and the PSA, never mailed)").FillAsync("Replaced a failed disk");
        await resolve.GetByRole(AriaRole.Button, new() { Name = "Resolve the ticket" }).ClickAsync();
        await page.WaitForURLAsync($"**/api/ops/tickets/{id}");
        var resolved = await host.StageAsync(id, "resolved");
        Assert.True(TimelineSays(await host.ViewWhenAsync(id, v => TimelineSays(v, "Sam Ortiz (ops key)"), "the resolution on the timeline"), "Sam Ortiz (ops key)"), resolved.ToString());
        await host.MailAsync(email, id, m => Bare(m) == "Resolved: Server room", "the resolution mail");

        // A resolved ticket offers no plan or resolve form, and a second resolution is refused by the events' own rule.
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("form[aria-labelledby=resolve-h]").CountAsync());
        var again = await PostAsync(id, new Dictionary<string, string> { ["action"] = "resolve", ["token"] = await TokenAsync(id), ["by"] = "Priya", ["note"] = "again" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact(Timeout = 300_000)]
    public async Task Actions_are_refused_without_the_key_or_without_a_token_of_this_page_and_change_nothing()
    {
        await host.AdvanceToAsync(host.NextWorkday(10));
        var id = await host.FileAsync("lab@demo.example", "Lab server down", "The lab file server is down for everyone");
        await host.StageAsync(id, "escalated");
        var other = await host.FileAsync("lab2@demo.example", "Print server down", "The print server is down for everyone");
        var token = await TokenAsync(id);
        Dictionary<string, string> Form(string t) => new() { ["action"] = "assign", ["token"] = t, ["by"] = "Mallory", ["owner"] = "Mallory" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(id, Form(token), key: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(id, Form(""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(id, Form("eyJ4IjoxfQ.bm90LWEtbWFj"))).StatusCode);
        // A token of another ticket's page does not act on this one.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(id, Form(await TokenAsync(other)))).StatusCode);
        Assert.Equal(JsonValueKind.Undefined, (await host.ViewAsync(id)).TryGetProperty("owner", out var owner) ? owner.ValueKind : JsonValueKind.Undefined);
        Assert.DoesNotContain((await host.ViewAsync(id)).GetProperty("timeline").EnumerateArray(), e => e.GetProperty("note").GetString()!.Contains("Mallory", StringComparison.Ordinal));

        // The same form with this page's token works: the refusals were the token's.
        var accepted = await PostAsync(id, Form(token));
        Assert.Equal(HttpStatusCode.SeeOther, accepted.StatusCode);
        Assert.Equal($"../{id}", accepted.Headers.Location!.ToString());
        Assert.Equal("Mallory", (await host.ViewAsync(id)).GetProperty("owner").GetString());
        // A stale page: the token expires with the page.
        await host.AdvanceAsync(TimeSpan.FromHours(9));
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(id, Form(token))).StatusCode);
    }
}
