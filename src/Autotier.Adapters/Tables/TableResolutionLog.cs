using System.Globalization;
using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Resolutions;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// The resolution log in Table Storage, laid out as the TypeScript app's <c>TableResolutionLog</c>:
/// one row per (client, ticket, outcome) (<c>&lt;clientId&gt; / &lt;ticketId&gt;|&lt;outcome&gt;</c>, the record as JSON
/// in column <c>record</c>), and for solved outcomes an index row keyed newest first
/// (<c>~solved|&lt;16 digits&gt;|&lt;ticket&gt;|&lt;outcome&gt;</c>) that the similar-tickets read will take as one
/// bounded range. Both rows are written in one transaction.
/// </summary>
public sealed class TableResolutionLog(TableClient table) : IResolutionLog
{
    private const string SolvedPrefix = "~solved|";
    private const string RecordColumn = "record";

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task RecordAsync(ResolutionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = JsonSerializer.Serialize(record, AutotierJson.Options);
        var partition = TableKeys.Escape(record.ClientId);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, TableKeys.Escape($"{record.TicketId}|{record.Outcome}")) { [RecordColumn] = json }),
        };
        if (Outcomes.Solved.Contains(record.Outcome))
        {
            // As the TypeScript app: 9e15 minus the Unix milliseconds, 16 digits, so newer sorts first.
            var newestFirst = (9_000_000_000_000_000 - record.At.ToUnixTimeMilliseconds()).ToString("D16", CultureInfo.InvariantCulture);
            actions.Add(new(TableTransactionActionType.UpsertReplace,
                new TableEntity(partition, TableKeys.Escape($"{SolvedPrefix}{newestFirst}|{record.TicketId}|{record.Outcome}")) { [RecordColumn] = json }));
        }
        await table.SubmitTransactionAsync(actions, cancellationToken);
    }

    public async Task<IReadOnlyList<ResolutionRecord>> ForClientAsync(string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        var partition = TableKeys.Escape(clientId);
        var list = new List<ResolutionRecord>();
        // Records only: the index rows sort after them ('~').
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey lt {"~"}"), cancellationToken: cancellationToken))
        {
            list.Add(JsonSerializer.Deserialize<ResolutionRecord>(row.GetString(RecordColumn), AutotierJson.Options)
                ?? throw new InvalidDataException($"resolution row {row.PartitionKey}/{row.RowKey} holds no record"));
        }
        return list;
    }

    public async Task<IReadOnlyList<ResolutionRecord>> RecentSolvedAsync(string clientId, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        var list = new List<ResolutionRecord>();
        if (max <= 0) return list;
        var partition = TableKeys.Escape(clientId);
        // The solved index's row keys sort newest first, so the first page is the newest; '}' is the
        // character after '|', which ends the prefix's range.
        var from = TableKeys.Escape(SolvedPrefix);
        var to = from[..^1] + "}";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            list.Add(JsonSerializer.Deserialize<ResolutionRecord>(row.GetString(RecordColumn), AutotierJson.Options)
                ?? throw new InvalidDataException($"resolution row {row.PartitionKey}/{row.RowKey} holds no record"));
            if (list.Count >= max) break;
        }
        return list;
    }
}
