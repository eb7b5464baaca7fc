using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Autotier.Adapters.Queues;

/// <summary>
/// Puts each alert on its audience's queue (<c>&lt;AUTOTIER_TIER_QUEUE_PREFIX&gt;1..3</c>,
/// <c>&lt;prefix&gt;oncall</c>), where the deliverAlert functions read it; a row per (ticket, key) in
/// the delivery table, written after the message, makes a second call (an activity run again)
/// queue nothing. A crash between the two queues the alert twice, and the delivery log then
/// posts it once.
/// </summary>
public sealed class QueueNotifier(Func<Audience, QueueClient> queueFor, TableClient deliveries) : INotifier
{
    public async Task NotifyAsync(AlertFacts alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var (partition, row) = Notify.TableAlertDeliveryLog.Keys(alert.TicketId, alert.Key, "notify");
        var existing = await deliveries.GetEntityIfExistsAsync<TableEntity>(partition, row, ["RowKey"], cancellationToken);
        if (existing.HasValue) return;
        var audience = Audiences.Of(alert);
        var queue = queueFor(audience);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await queue.SendMessageAsync(JsonSerializer.Serialize(alert, AutotierJson.Options), cancellationToken);
        await deliveries.UpsertEntityAsync(new TableEntity(partition, row)
        {
            ["TicketId"] = alert.TicketId,
            ["Key"] = alert.Key,
            ["Status"] = "queued",
            ["Kind"] = alert.Kind,
            ["Audience"] = audience.WireName(),
            ["At"] = alert.At,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Base64 messages, as the Functions host's queue trigger expects by default.</summary>
    public static QueueClientOptions ClientOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };
}
