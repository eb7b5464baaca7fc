using Autotier.LocalHost;
using Microsoft.Playwright;
using Xunit;

namespace Autotier.E2ETests.Support;

/// <summary>
/// Debian's headless Chromium driven through Microsoft.Playwright (its bundled driver; never
/// <c>playwright install</c>: the browser is the machine's <c>/usr/bin/chromium</c>, which CI
/// installs). One browser per test class; each test opens its own context (cookies, viewport).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The phone and desktop widths the pages are looked at in.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };

    public IBrowser Browser => browser ?? throw new InvalidOperationException("not started");

    /// <summary>The browser binary: <c>AUTOTIER_CHROMIUM</c>, else Debian's.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("AUTOTIER_CHROMIUM") is { Length: > 0 } set ? set : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            // A missing browser fails the page tests loudly rather than letting them pass unseen.
            throw new InvalidOperationException($"no Chromium at {ExecutablePath}: `apt-get install chromium` (CI does), or set AUTOTIER_CHROMIUM");
        }
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root in CI containers: Chromium's sandbox needs user namespaces these machines may not give.
            Args = ["--no-sandbox"],
            Timeout = 60_000,
        });
    }

    /// <summary>A fresh page (its own context) at <paramref name="size"/>; console errors are collected.</summary>
    public async Task<BrowserPage> OpenAsync(ViewportSize? size = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = size ?? Desktop,
            ExtraHTTPHeaders = headers,
            // The pages answer in UTC and English; the browser says so, as the tests' readers expect.
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var result = new BrowserPage(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") result.ConsoleErrors.Add(message.Text);
        };
        return result;
    }

    /// <summary>
    /// Takes a full-page screenshot. With <c>AUTOTIER_SCREENSHOTS=docs</c> (or any folder) it is kept
    /// there under <paramref name="name"/>, which is how the pictures in <c>docs/</c> are made; without
    /// it, it goes to the test's output folder, so the step always runs.
    /// </summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Environment.GetEnvironmentVariable("AUTOTIER_SCREENSHOTS") is { Length: > 0 } dir
            ? (Path.IsPathRooted(dir) ? dir : Path.Combine(RepositoryRoot.Find(), dir))
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        return file;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>A page in its own browser context, with the console errors it logged.</summary>
public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public IBrowserContext Context { get; } = context;

    public List<string> ConsoleErrors { get; } = [];

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
