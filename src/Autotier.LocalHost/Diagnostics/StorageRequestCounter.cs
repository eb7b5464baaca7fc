using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Autotier.LocalHost.Diagnostics;

/// <summary>
/// Counts every storage request the app and the Durable provider send, by service and operation,
/// so a test or the bench can say what one ticket costs. An Azure SDK pipeline policy: it sees the
/// requests the real clients make, retries included.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, int> counts = new();

    public int Total => counts.Values.Sum();

    public IReadOnlyDictionary<string, int> ByKind => new Dictionary<string, int>(counts);

    public void Reset() => counts.Clear();

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        counts.AddOrUpdate(Kind(message.Request), 1, (_, n) => n + 1);
    }

    /// <summary>
    /// "table Tickets GET", "queue autotier-control-00 GET", "blob autotier-leases PUT": the service
    /// (from Azurite's port-per-service or Azure's host name), the table, queue or container, and
    /// the method. Queue reads of messages are the pollers' (and the Durable dispatchers') polling.
    /// </summary>
    private string Kind(Request request)
    {
        var uri = request.Uri.ToUri();
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        // Azurite puts the account first in the path; Azure puts it in the host name.
        var parts = uri.Host is "127.0.0.1" or "localhost" ? segments.Skip(1).ToArray() : segments;
        var resource = parts.Length > 0 ? parts[0] : "";
        var paren = resource.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0) resource = resource[..paren];
        var service = uri.Host.Contains(".table.", StringComparison.Ordinal) || paren >= 0 || resource == "Tables" || resource == "$batch" ? "table"
            : uri.Host.Contains(".queue.", StringComparison.Ordinal) || (parts.Length > 1 && parts[1] == "messages") ? "queue"
            : uri.Host.Contains(".blob.", StringComparison.Ordinal) ? "blob"
            : KindByPort(uri.Port);
        var what = service == "queue" && parts.Length > 1 && parts[1] == "messages" ? $"{resource}/messages" : resource;
        return $"{service} {what} {request.Method}";
    }

    private readonly ConcurrentDictionary<int, string> ports = new();

    /// <summary>Azurite serves each service on its own port; tell the counter which is which.</summary>
    public void NameService(int port, string service) => ports[port] = service;

    private string KindByPort(int port) => ports.TryGetValue(port, out var s) ? s : "blob";
}
