using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Autotier.IntegrationTests.Alerts;

/// <summary>A request as a fake vendor API received it.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>
/// A local HTTP server on a port of its own (Kestrel) that answers with <paramref name="handler"/>
/// and records every request, for the vendor fakes (ACS, Graph, Teams Workflows).
/// </summary>
public sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public Uri BaseAddress { get; }

    private FakeHttpServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public static async Task<FakeHttpServer> StartAsync(Func<ReceivedRequest, HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeHttpServer? server = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var request = new ReceivedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                body,
                DateTimeOffset.UtcNow);
            server!.Requests.Enqueue(request);
            await handler(request, context);
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        server = new FakeHttpServer(app, address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
