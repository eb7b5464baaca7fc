using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Metrics;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// The outcome log in one table, one partition per client (TypeScript tableOutcomeLog.ts, same row
/// layout). Rows:
/// <list type="bullet">
/// <item><c>e|&lt;ticket&gt;|&lt;step&gt;</c>: an outcome event, once per (ticket, step);</item>
/// <item><c>t|&lt;receivedAt&gt;|&lt;ticket&gt;</c>: the ticket's summary, in the order tickets were received, so a metrics
/// query reads the range it asks for and nothing else;</item>
/// <item><c>i|&lt;ticket&gt;|&lt;key&gt;</c> and <c>a|&lt;at&gt;|&lt;ticket&gt;|&lt;key&gt;</c>: an interruption's marker and its time-ordered row;</item>
/// <item><c>sm|&lt;key&gt;</c> and <c>s|&lt;at&gt;|&lt;key&gt;</c>: a self-service deflection's marker and its time-ordered row.</item>
/// </list>
/// An event and its summary change, or a marker and its row, are written in one entity-group
/// transaction: a retry after a crash finds both or neither, so nothing counts twice or goes missing.
/// </summary>
public sealed class TableOutcomeLog(TableClient table) : IOutcomeLog
{
    /// <summary>Writers of one ticket's summary rarely collide (its workflow runs one step at a time; a rating may race it).</summary>
    private const int MaxAttempts = 10;

    /// <summary>Summaries this process remembers writing; past this many it forgets them all (a read each, then).</summary>
    private const int MaxRemembered = 100_000;

    private const string EventColumn = "event";

    /// <summary>
    /// The summary rows this process last wrote, with their ETags: a ticket's next step folds into
    /// the version it knows and writes unread (a 412 says another writer got there first). The
    /// TypeScript app's KnownVersions; it saves a read per outcome step.
    /// </summary>
    private readonly ConcurrentDictionary<string, (ETag ETag, string Json)> written = new(StringComparer.Ordinal);
    private const string SummaryColumn = "summary";

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task<IReadOnlyList<OutcomeEvent>> RecordAsync(IReadOnlyList<OutcomeEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return [];
        var first = events[0];
        if (events.Any(e => e.ClientId != first.ClientId || e.TicketId != first.TicketId))
            throw new ArgumentException("record the events of one ticket at a time", nameof(events));
        // A batch holds at most 100 actions, one of them the summary; one ticket's step never records more than a few.
        if (events.Count > 99) throw new ArgumentException("at most 99 events at once", nameof(events));
        var partition = TableKeys.Escape(first.ClientId);
        var summaryKey = $"t|{Iso(first.ReceivedAt)}|{TableKeys.Escape(first.TicketId)}";
        var pending = events.DistinctBy(e => e.Step).ToList();
        var versionKey = $"{partition}/{summaryKey}";
        // A ticket this process has not written yet is assumed new (its first events are recorded as
        // it starts): the summary is added without a read, and a 409 says otherwise.
        var read = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            ETag? etag = null;
            TicketOutcomes? current = null;
            if (written.TryGetValue(versionKey, out var known))
            {
                (etag, current) = (known.ETag, JsonSerializer.Deserialize<TicketOutcomes>(known.Json, AutotierJson.Options));
            }
            else if (read)
            {
                var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, summaryKey, [SummaryColumn], cancellationToken);
                if (row.HasValue) (etag, current) = (row.Value!.ETag, JsonSerializer.Deserialize<TicketOutcomes>(row.Value.GetString(SummaryColumn), AutotierJson.Options));
            }
            var summary = JsonSerializer.Serialize(pending.Aggregate(current, (s, e) => TicketOutcomes.Apply(s, e)), AutotierJson.Options);
            var summaryEntity = new TableEntity(partition, summaryKey) { [SummaryColumn] = summary };
            var actions = pending
                .Select(e => new TableTransactionAction(TableTransactionActionType.Add,
                    new TableEntity(partition, EventKey(e)) { [EventColumn] = JsonSerializer.Serialize(e, AutotierJson.Options) }))
                .Append(etag is { } match
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, summaryEntity, match)
                    : new TableTransactionAction(TableTransactionActionType.Add, summaryEntity))
                .ToList();
            try
            {
                var responses = await table.SubmitTransactionAsync(actions, cancellationToken);
                // A batch answers in the order of its actions: the summary's is the last.
                Remember(versionKey, responses.Value[^1].Headers.ETag, summary);
                return pending;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                written.TryRemove(versionKey, out _);
                read = true;
                // An event recorded before (a retry), or a summary that exists already: keep the
                // events not yet recorded and fold them into the summary as it is now.
                var fresh = new List<OutcomeEvent>();
                foreach (var ev in pending)
                {
                    var seen = await table.GetEntityIfExistsAsync<TableEntity>(partition, EventKey(ev), ["RowKey"], cancellationToken);
                    if (!seen.HasValue) fresh.Add(ev);
                }
                if (fresh.Count == 0) return [];
                pending = fresh;
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 || (e.Status == 404 && etag is not null && e.ErrorCode != "TableNotFound"))
            {
                // The summary changed under us (another instance, a rating racing the workflow), or a
                // version this process knew is gone: read it and fold into it.
                written.TryRemove(versionKey, out _);
                read = true;
            }
        }
        throw new InvalidOperationException($"outcome {first.TicketId}/{first.Step}: the summary kept changing; try again");
    }

    public Task RecordInterruptionAsync(Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interruption);
        return RecordOnceAsync(
            interruption.ClientId,
            $"i|{interruption.TicketId}|{interruption.Key}",
            $"a|{Iso(interruption.At)}|{TableKeys.Escape($"{interruption.TicketId}|{interruption.Key}")}",
            "interruption", JsonSerializer.Serialize(interruption, AutotierJson.Options), cancellationToken);
    }

    public Task RecordSelfServiceDeflectionAsync(SelfServiceDeflection deflection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deflection);
        return RecordOnceAsync(
            deflection.ClientId, $"sm|{deflection.Key}", $"s|{Iso(deflection.At)}|{TableKeys.Escape(deflection.Key)}",
            "deflection", JsonSerializer.Serialize(deflection, AutotierJson.Options), cancellationToken);
    }

    public async Task<IReadOnlyList<TicketOutcomes>> SummariesAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        [.. (await RowsAsync(clientId, $"t|{Iso(since)}", $"t|{Iso(until)}", SummaryColumn, cancellationToken))
            .Select(json => JsonSerializer.Deserialize<TicketOutcomes>(json, AutotierJson.Options)!)];

    public async Task<IReadOnlyList<Interruption>> InterruptionsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        [.. (await RowsAsync(clientId, $"a|{Iso(since)}", $"a|{Iso(until)}", "interruption", cancellationToken))
            .Select(json => JsonSerializer.Deserialize<Interruption>(json, AutotierJson.Options)!)];

    public async Task<int> SelfServiceDeflectionsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        (await RowsAsync(clientId, $"s|{Iso(since)}", $"s|{Iso(until)}", "deflection", cancellationToken)).Count;

    public async Task<IReadOnlyList<OutcomeEvent>> EventsAsync(string clientId, string ticketId, CancellationToken cancellationToken)
    {
        var prefix = TableKeys.Escape($"e|{ticketId}|");
        return [.. (await RowsAsync(clientId, prefix, prefix + "~", EventColumn, cancellationToken))
            .Select(json => JsonSerializer.Deserialize<OutcomeEvent>(json, AutotierJson.Options)!)
            .OrderBy(e => e.At)];
    }

    private void Remember(string versionKey, ETag? etag, string json)
    {
        if (etag is not { } known) return;
        if (written.Count >= MaxRemembered) written.Clear();
        written[versionKey] = (known, json);
    }

    private static string EventKey(OutcomeEvent e) => TableKeys.Escape($"e|{e.TicketId}|{e.Step}");

    /// <summary>Keys sort by time only in one spelling of an instant: UTC, milliseconds, Z (as the TypeScript app's toISOString).</summary>
    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async Task RecordOnceAsync(string clientId, string marker, string rowKey, string column, string json, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Escape(clientId);
        try
        {
            await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, TableKeys.Escape(marker)) { ["rowKeyOfRecord"] = rowKey }),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, rowKey) { [column] = json }),
            ], cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // Recorded before.
        }
    }

    private async Task<List<string>> RowsAsync(string clientId, string fromKey, string toKey, string column, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(clientId)} and RowKey ge {fromKey} and RowKey lt {toKey}");
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: [column], cancellationToken: cancellationToken))
            rows.Add(row.GetString(column));
        return rows;
    }
}
