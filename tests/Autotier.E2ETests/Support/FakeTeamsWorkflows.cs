using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Autotier.E2ETests.Support;

/// <summary>One POST a Teams Workflows webhook received.</summary>
public sealed record TeamsPost(string Path, JsonElement Body)
{
    /// <summary>The card's body as JSON text (what the TypeScript test's <c>cardText</c> reads).</summary>
    public string CardText => Body.GetProperty("attachments")[0].GetProperty("content").GetProperty("body").GetRawText();

    public JsonElement Content => Body.GetProperty("attachments")[0].GetProperty("content");
}

/// <summary>
/// A local stand-in for Teams Workflows' "When a Teams webhook request is received" trigger
/// (tests/support/fakeTeams.ts): records every POST under <c>/workflows/</c> and answers 202.
/// </summary>
public sealed class FakeTeamsWorkflows : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<TeamsPost> posts = new();

    private FakeTeamsWorkflows(WebApplication app) => this.app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<TeamsPost> Posts => [.. posts];

    /// <summary>An audience whose webhook answers 502 Bad Gateway (as a Workflows flow that is turned off does), or null.</summary>
    public string? Failing { get; set; }

    public IReadOnlyList<TeamsPost> PostsTo(string audience) => [.. posts.Where(p => p.Path.StartsWith($"/workflows/{audience}/", StringComparison.Ordinal))];

    public string Url(string path) => new Uri(BaseAddress, path.TrimStart('/') + "/trigger?sig=local").ToString();

    public static async Task<FakeTeamsWorkflows> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeTeamsWorkflows(app);
        app.MapPost("/workflows/{**rest}", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            if (fake.Failing is { } failing && context.Request.Path.Value!.StartsWith($"/workflows/{failing}/", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 502;
                return;
            }
            fake.posts.Enqueue(new TeamsPost(context.Request.Path.Value!, body.RootElement.Clone()));
            context.Response.StatusCode = 202;
        });
        await app.StartAsync();
        fake.BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
