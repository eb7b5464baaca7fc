using Autotier.Adapters.Tables;
using Azure.Data.Tables;

namespace Autotier.Adapters.Mail;

/// <summary>
/// Which mails a sender has handed over, by idempotency key (<c>&lt;prefix&gt;SentMail</c>, the
/// TypeScript <c>SendLedger</c>'s table). Neither ACS (which remembers a repeated request for minutes)
/// nor Graph sendMail (which remembers nothing) can tell a retried Durable activity, hours later,
/// that its mail already went. Rows: <c>sent / {key}</c>, and <c>operation / {operation id}</c> for
/// ACS sends, which delivery reports name by their operation id.
/// </summary>
public sealed class TableSendLedger(TableClient table)
{
    private const string Sent = "sent";
    private const string Operation = "operation";

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    public async Task<bool> HasAsync(string key, CancellationToken cancellationToken) =>
        (await table.GetEntityIfExistsAsync<TableEntity>(Sent, TableKeys.Escape(key), ["RowKey"], cancellationToken)).HasValue;

    /// <param name="via">acs or graph.</param>
    /// <param name="status">What the service last said of the send (Succeeded, Running, accepted).</param>
    public async Task RecordAsync(string key, string via, string? operationId, string status, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await table.UpsertEntityAsync(new TableEntity(Sent, TableKeys.Escape(key))
        {
            ["Key"] = key,
            ["Via"] = via,
            ["OperationId"] = operationId,
            ["Status"] = status,
            ["At"] = at,
        }, TableUpdateMode.Replace, cancellationToken);
        if (operationId is not null)
            await table.UpsertEntityAsync(new TableEntity(Operation, TableKeys.Escape(operationId)) { ["Key"] = key }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The idempotency key of the mail an ACS operation sent, if it went through this ledger.</summary>
    public async Task<string?> KeyOfAsync(string operationId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Operation, TableKeys.Escape(operationId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("Key") : null;
    }
}
