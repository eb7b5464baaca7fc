using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Autotier.Adapters;
using Autotier.Bench.Measures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Autotier.Bench.EndToEnd;

/// <summary>
/// Counts every storage request on the wire: an HTTP proxy in front of each of Azurite's three
/// services (as bench/storageProxy.ts). Counting between the process and the storage, rather than
/// inside one SDK client, sees every client the app and the Durable provider build, and counts
/// exactly what Azure bills: one transaction per REST call. Empty queue reads are told apart from
/// reads that returned messages, and a table batch is counted against the table its body names.
/// </summary>
public sealed class CountingProxy : IAsyncDisposable
{
    // Hop-by-hop headers, and the ones HttpClient sets from the content itself.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "Expect", "Host",
    };

    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private long messagesHandled;
    private readonly WebApplication web;
    private readonly HttpClient upstream;
    private readonly IReadOnlyDictionary<int, (StorageService Service, int Upstream)> routes;

    private CountingProxy(WebApplication web, HttpClient upstream, IReadOnlyDictionary<int, (StorageService, int)> routes, string connectionString)
    {
        this.web = web;
        this.upstream = upstream;
        this.routes = routes;
        ConnectionString = connectionString;
    }

    /// <summary>Azurite's connection string with the proxy's ports: give it to the host.</summary>
    public string ConnectionString { get; }

    /// <summary>The counts so far, by kind, and the queue messages deleted (each one a message a trigger or the Durable worker handled).</summary>
    public ProxySnapshot Snapshot() => new(new Dictionary<string, long>(counts, StringComparer.Ordinal), Interlocked.Read(ref messagesHandled));

    /// <summary>Starts three listeners on free ports, one per service, each forwarding to Azurite's.</summary>
    public static async Task<CountingProxy> StartAsync(int blobPort, int queuePort, int tablePort, CancellationToken cancellationToken)
    {
        var ports = new[] { Ports.Free(), Ports.Free(), Ports.Free() };
        var routes = new Dictionary<int, (StorageService, int)>
        {
            [ports[0]] = (StorageService.Blob, blobPort),
            [ports[1]] = (StorageService.Queue, queuePort),
            [ports[2]] = (StorageService.Table, tablePort),
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            foreach (var port in ports) k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = null;
            k.Limits.MinRequestBodyDataRate = null;
        });
        var web = builder.Build();
        var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        var proxy = new CountingProxy(web, client, routes, AzuriteAccount.ConnectionString(ports[0], ports[1], ports[2]));
        web.Run(proxy.ForwardAsync);
        await web.StartAsync(cancellationToken);
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var (service, upstreamPort) = routes[context.Connection.LocalPort];
        var request = context.Request;
        var pathAndQuery = request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        // Kestrel decodes the path; the raw target keeps it exactly as signed.
        var rawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? pathAndQuery;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri($"http://127.0.0.1:{upstreamPort}{rawTarget}"));
        byte[]? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
            message.Content = new ByteArrayContent(body);
        }
        else if (request.ContentLength == 0) message.Content = new ByteArrayContent([]);
        foreach (var (name, values) in request.Headers)
        {
            if (NotForwarded.Contains(name)) continue;
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        // As Azurite would have seen it from the client (it builds response URLs from it).
        message.Headers.Host = request.Host.Value;

        using var response = await upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (NotForwarded.Contains(name)) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        var replyBody = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        var kind = StorageRequestKind.IsTableBatch(service, pathAndQuery) && body is not null
                && StorageRequestKind.BatchTable(Encoding.Latin1.GetString(body)) is { Length: > 0 } table
            ? $"table {table} batch"
            : StorageRequestKind.Of(service, request.Method, pathAndQuery);
        if (StorageRequestKind.IsMessagesRead(service, request.Method, pathAndQuery) && StorageRequestKind.IsEmptyQueueReply(Encoding.UTF8.GetString(replyBody)))
            kind += StorageRequestKind.EmptyPoll;
        counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
        // A queue trigger or the Durable worker deletes a message once it has handled it: the
        // count of executions on the wire (an orchestrator episode may take several at once, so
        // for orchestrations it is an upper bound).
        if (service == StorageService.Queue && request.Method == "DELETE" && pathAndQuery.Split('?')[0].Contains("/messages/", StringComparison.Ordinal))
            Interlocked.Increment(ref messagesHandled);
        await context.Response.Body.WriteAsync(replyBody, context.RequestAborted);
    }


    public async ValueTask DisposeAsync()
    {
        await web.StopAsync();
        await web.DisposeAsync();
        upstream.Dispose();
    }
}

/// <summary>The proxy's counters at one moment.</summary>
public sealed record ProxySnapshot(IReadOnlyDictionary<string, long> Kinds, long MessagesHandled)
{
    public static ProxySnapshot Empty { get; } = new(new Dictionary<string, long>(), 0);
}
