using System.Text.RegularExpressions;

namespace Autotier.Bench.Measures;

/// <summary>The three Azure Storage services, each on its own Azurite port.</summary>
public enum StorageService
{
    Blob,
    Queue,
    Table,
}

/// <summary>
/// What one storage request is, for the counting proxy: <c>service resource operation</c>, as the
/// TypeScript bench's <c>kindOf</c> names it (<c>table abcTickets write</c>, <c>queue hub-control-00
/// read</c>, <c>blob hub-leases write</c>), so both benches' tables line up. Azure bills one
/// transaction per REST call, by service and (for blobs) by read or write class; that is all the
/// cost model needs, and all this keeps.
/// </summary>
public static partial class StorageRequestKind
{
    /// <summary>Appended to a queue read that returned no message: polling, not work.</summary>
    public const string EmptyPoll = " (empty poll)";

    /// <summary>
    /// The kind of a request from its service, method and path (Azurite puts the account first in
    /// the path: <c>/devstoreaccount1/Tickets(PartitionKey='a',RowKey='b')</c>). A table read that
    /// names no row is a <c>query</c>: Azure serves it from an index range, Azurite scans.
    /// </summary>
    public static string Of(StorageService service, string method, string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var path = pathAndQuery.Split('?')[0];
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var first = parts.Length > 1 ? parts[1] : "";
        var resource = service == StorageService.Table
            ? first.Split('(')[0]
            : first.Length > 0 ? first : "(account)";
        var read = method is "GET" or "HEAD";
        var query = service == StorageService.Table && read && !Uri.UnescapeDataString(first).Contains("RowKey=", StringComparison.Ordinal);
        return $"{Name(service)} {resource} {(query ? "query" : read ? "read" : "write")}";
    }

    /// <summary>A queue's GET of <c>/messages</c>: a dequeue or peek, which may come back empty.</summary>
    public static bool IsMessagesRead(StorageService service, string method, string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        return service == StorageService.Queue && method == "GET" && pathAndQuery.Split('?')[0].EndsWith("/messages", StringComparison.Ordinal);
    }

    /// <summary>A queue reply with no message in it (the XML of an empty dequeue).</summary>
    public static bool IsEmptyQueueReply(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return !body.Contains("<QueueMessage>", StringComparison.Ordinal);
    }

    /// <summary>A table <c>$batch</c>, whose table is named only inside its body.</summary>
    public static bool IsTableBatch(StorageService service, string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        return service == StorageService.Table && pathAndQuery.Split('?')[0].EndsWith("/$batch", StringComparison.Ordinal);
    }

    /// <summary>The table a <c>$batch</c> body's changes go to (a batch holds one table's rows); empty when none is named.</summary>
    public static string BatchTable(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var match = BatchLine().Match(body);
        return match.Success ? match.Groups[1].Value : "";
    }

    /// <summary>
    /// Puts a run's names back to what they stand for: the task hub's tables, queues and
    /// containers as <c>durable:History</c>, <c>durable:control-00</c>; the app's prefix dropped
    /// (<c>table Tickets write</c>). Each run has a hub and prefix of its own, so runs on one
    /// Azurite never mix, and the counts of two runs compare.
    /// </summary>
    public static IReadOnlyDictionary<string, long> Normalise(IReadOnlyDictionary<string, long> counts, string hub, string prefix)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(prefix);
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (kind, n) in counts)
        {
            var parts = kind.Split(' ', 3);
            if (parts.Length < 3)
            {
                Add(result, kind, n);
                continue;
            }
            var resource = parts[1];
            var name = resource.StartsWith(hub, StringComparison.OrdinalIgnoreCase)
                ? "durable:" + resource[hub.Length..].TrimStart('-')
                : resource.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && resource.Length > prefix.Length
                    ? resource[prefix.Length..].TrimStart('-')
                    : resource;
            Add(result, $"{parts[0]} {name} {parts[2]}", n);
        }
        return result;
    }

    /// <summary>What a later snapshot of the counters holds beyond an earlier one.</summary>
    public static IReadOnlyDictionary<string, long> Diff(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(before);
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (kind, n) in after)
        {
            var d = n - before.GetValueOrDefault(kind);
            if (d > 0) result[kind] = d;
        }
        return result;
    }

    /// <summary>
    /// Requests that do not come from tickets but from the app being up: empty queue polls and the
    /// Durable provider's partition leases (renewed on a timer, ticket or not: the
    /// <c>Partitions</c> table with table partition management, the <c>leases</c> container without). Counted apart, and
    /// priced as idle time, so a slow machine (more wall time per ticket) does not inflate the
    /// per-ticket figure.
    /// </summary>
    public static bool IsBackground(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.EndsWith(EmptyPoll, StringComparison.Ordinal)
            || kind.Contains(" durable:leases ", StringComparison.OrdinalIgnoreCase)
            || kind.Contains(" durable:partitions ", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The Durable Task Framework's own storage (named by <see cref="Normalise"/>).</summary>
    public static bool IsDurable(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.Contains(" durable:", StringComparison.Ordinal);
    }

    private static void Add(SortedDictionary<string, long> into, string kind, long n) => into[kind] = into.GetValueOrDefault(kind) + n;

    private static string Name(StorageService service) => service switch
    {
        StorageService.Blob => "blob",
        StorageService.Queue => "queue",
        _ => "table",
    };

    // The first request line of a changeset: `PUT http://127.0.0.1:10002/devstoreaccount1/Tickets(PartitionKey=...) HTTP/1.1`.
    [GeneratedRegex(@"^(?:POST|PUT|PATCH|MERGE|DELETE|GET) \S*?/([A-Za-z][A-Za-z0-9]*)(?:\(|\?| )", RegexOptions.Multiline)]
    private static partial Regex BatchLine();
}
