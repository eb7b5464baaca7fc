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

    /// <summary>"table GET", "queue DELETE", "blob PUT": the service from the host's port or name, and the method.</summary>
    private static string Kind(Request request)
    {
        var uri = request.Uri.ToUri();
        var path = uri.AbsolutePath;
        var service = uri.Host.Contains(".table.", StringComparison.Ordinal) || path.Contains("Tables", StringComparison.Ordinal) || path.Contains('(') ? "table"
            : uri.Host.Contains(".queue.", StringComparison.Ordinal) || path.Contains("/messages", StringComparison.Ordinal) || uri.Query.Contains("comp=metadata", StringComparison.Ordinal) ? "queue"
            : "blob";
        return $"{service} {request.Method}";
    }
}
