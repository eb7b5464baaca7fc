using Autotier.Application.Ports;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// The audit log of actions on users and licences in <c>&lt;prefix&gt;Audit</c>, laid out as the
/// TypeScript TableAuditLog writes it: a partition per client, a row per (ticket, step)
/// (<c>T-1001.playbook-1-licence</c>), one column per field. A retried activity rewrites its row.
/// </summary>
public sealed class TableActionLog(TableClient table) : IActionLog
{
    /// <summary>The table's name for a deployment's prefix (the TypeScript app's).</summary>
    public static string TableName(StorageNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.TablePrefix + "Audit";
    }

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public Task RecordAsync(ActionRecord entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var row = new TableEntity(TableKeys.Escape(entry.ClientId), RowKey(entry.TicketId, entry.Step))
        {
            ["ticketId"] = entry.TicketId,
            ["step"] = entry.Step,
            ["at"] = entry.At,
            ["actor"] = entry.Actor,
            ["requestedBy"] = entry.RequestedBy,
            ["action"] = entry.Action,
            ["target"] = entry.Target,
            ["detail"] = entry.Detail,
            ["reason"] = entry.Reason,
            ["outcome"] = entry.Outcome,
        };
        return table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<ActionRecord?> GetAsync(string clientId, string ticketId, string stepName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(clientId), RowKey(ticketId, stepName), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToRecord(clientId, row.Value!) : null;
    }

    public async Task<IReadOnlyList<ActionRecord>> ForClientAsync(string clientId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        var partition = TableKeys.Escape(clientId);
        // "at" is ISO 8601 UTC with milliseconds, so string order is time order (as the TypeScript filter).
        var filter = since is { } from
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and at ge {Application.Tickets.IsoTime.Format(from)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var records = new List<ActionRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            records.Add(ToRecord(clientId, row));
        return [.. records.OrderBy(r => r.At, StringComparer.Ordinal)];
    }

    // Keys may not hold / \ # ?: escaped as every other table of the app does.
    private static string RowKey(string ticketId, string step) => TableKeys.Escape($"{ticketId}.{step}");

    private static ActionRecord ToRecord(string clientId, TableEntity row) => new(
        clientId, row.GetString("ticketId") ?? "", row.GetString("step") ?? "", row.GetString("at") ?? "", row.GetString("actor") ?? "",
        row.GetString("requestedBy") ?? "", row.GetString("action") ?? "", row.GetString("target") ?? "", row.GetString("detail") ?? "",
        row.GetString("reason") ?? "", row.GetString("outcome") ?? "");
}
