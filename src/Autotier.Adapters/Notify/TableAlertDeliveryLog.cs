using System.Globalization;
using Autotier.Adapters.Tables;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Azure.Data.Tables;

namespace Autotier.Adapters.Notify;

/// <summary>
/// The delivery records in <c>&lt;prefix&gt;AlertDeliveries</c>: partition the ticket id (<c>_digest</c>
/// for digests), rows <c>{key}|notify</c> (queued, written by <see cref="Queues.QueueNotifier"/>), <c>{key}|outcome</c>, <c>{key}|webhook</c>,
/// <c>{key}|email</c> (delivered) and <c>{key}|failed|{channel}</c> (the latest failure of a channel,
/// marked recovered once it went).
/// </summary>
public sealed class TableAlertDeliveryLog(TableClient table) : IAlertDeliveryLog
{
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    internal static (string Partition, string Row) Keys(string ticketId, string key, string what) =>
        (TableKeys.Escape(ticketId), TableKeys.Escape($"{key}|{what}"));

    public async Task<AlertOutcome?> OutcomeOfAsync(string ticketId, string key, CancellationToken cancellationToken)
    {
        var (p, r) = Keys(ticketId, key, "outcome");
        var row = await table.GetEntityIfExistsAsync<TableEntity>(p, r, cancellationToken: cancellationToken);
        return row.HasValue && Enum.TryParse<AlertOutcome>(row.Value!.GetString("Status"), ignoreCase: true, out var outcome) ? outcome : null;
    }

    public async Task RecordOutcomeAsync(AlertFacts alert, Audience audience, AlertOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var (p, r) = Keys(alert.TicketId, alert.Key, "outcome");
        await table.UpsertEntityAsync(new TableEntity(p, r)
        {
            ["TicketId"] = alert.TicketId,
            ["Key"] = alert.Key,
            ["Status"] = outcome.ToString().ToLowerInvariant(),
            ["Audience"] = audience.WireName(),
            ["Kind"] = alert.Kind,
            ["At"] = at,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> DeliveredAsync(string ticketId, string key, AlertChannel channel, CancellationToken cancellationToken)
    {
        var (p, r) = Keys(ticketId, key, Name(channel));
        return (await table.GetEntityIfExistsAsync<TableEntity>(p, r, ["RowKey"], cancellationToken)).HasValue;
    }

    public async Task RecordDeliveredAsync(string ticketId, string key, AlertChannel channel, Audience audience, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var (p, r) = Keys(ticketId, key, Name(channel));
        await table.UpsertEntityAsync(new TableEntity(p, r)
        {
            ["TicketId"] = ticketId,
            ["Key"] = key,
            ["Channel"] = Name(channel),
            ["Status"] = "delivered",
            ["Audience"] = audience.WireName(),
            ["At"] = at,
        }, TableUpdateMode.Replace, cancellationToken);
        // A channel that failed before got through: its failure row says so, so no one chases a delivered alert.
        var (fp, fr) = Keys(ticketId, key, $"failed|{Name(channel)}");
        var failed = await table.GetEntityIfExistsAsync<TableEntity>(fp, fr, cancellationToken: cancellationToken);
        if (failed.HasValue)
        {
            var row = failed.Value!;
            row["Status"] = "recovered";
            row["RecoveredAt"] = at;
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
    }

    public async Task<int> RecordFailedAsync(AlertDeliveryFailure failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var (p, r) = Keys(failure.TicketId, failure.Key, $"failed|{Name(failure.Channel)}");
        // One delivery of a message runs at a time (the queue hides it meanwhile), so read-then-write counts right.
        var previous = await table.GetEntityIfExistsAsync<TableEntity>(p, r, ["Failures"], cancellationToken);
        var failures = (previous.HasValue ? previous.Value!.GetInt32("Failures") ?? 0 : 0) + 1;
        await table.UpsertEntityAsync(new TableEntity(p, r)
        {
            ["TicketId"] = failure.TicketId,
            ["Key"] = failure.Key,
            ["Channel"] = Name(failure.Channel),
            ["Status"] = "failed",
            ["Audience"] = failure.Audience.WireName(),
            ["Kind"] = failure.Kind,
            ["Failures"] = failures,
            ["Error"] = failure.Error.Length > 1000 ? failure.Error[..1000] : failure.Error,
            ["At"] = failure.At,
        }, TableUpdateMode.Replace, cancellationToken);
        return failures;
    }

    public async Task<IReadOnlyList<AlertDeliveryRecord>> ForTicketAsync(string ticketId, CancellationToken cancellationToken)
    {
        var records = new List<AlertDeliveryRecord>();
        var partition = TableKeys.Escape(ticketId);
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith("state|", StringComparison.Ordinal)) continue; // a digest state (TableAlertDigestStore)
            var status = row.GetString("Status") ?? "?";
            var channel = row.GetString("Channel") switch
            {
                "webhook" => AlertChannel.Webhook,
                "email" => AlertChannel.Email,
                _ => (AlertChannel?)null,
            };
            records.Add(new AlertDeliveryRecord(row.GetString("TicketId"), row.GetString("Key"), channel, status, row.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue)
            {
                Error = row.GetString("Error"),
                Failures = row.GetInt32("Failures"),
            });
        }
        return [.. records.OrderBy(r => r.At).ThenBy(r => r.Key, StringComparer.Ordinal)];
    }

    private static string Name(AlertChannel channel) => channel.ToString().ToLower(CultureInfo.InvariantCulture);
}
