using Autotier.Adapters.Tables;
using Autotier.Application.Mail;
using Azure.Data.Tables;

namespace Autotier.Adapters.Mail;

/// <summary>
/// Delivery reports on the sent-mail ledger (<c>&lt;prefix&gt;SentMail</c>, rows as
/// <see cref="TableSendLedger"/> writes them): the operation row names the mail's key, and the
/// mail's row gets <c>Delivery</c>, <c>DeliveryDetail</c> and <c>DeliveredAt</c> merged in.
/// </summary>
public sealed class TableDeliveryLedger(TableClient table) : IDeliveryLedger
{
    public async Task<string?> KeyOfAsync(string operationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        if (operationId.Length is 0 or > 200) return null;
        var row = await table.GetEntityIfExistsAsync<TableEntity>("operation", TableKeys.Escape(operationId), ["Key"], cancellationToken);
        return row.HasValue ? row.Value!.GetString("Key") : null;
    }

    public Task RecordDeliveryAsync(string key, string status, string detail, DateTimeOffset at, CancellationToken cancellationToken) =>
        table.UpsertEntityAsync(new TableEntity("sent", TableKeys.Escape(key))
        {
            ["Delivery"] = status.Length > 100 ? status[..100] : status,
            ["DeliveryDetail"] = detail.Length > 1000 ? detail[..1000] : detail,
            ["DeliveredAt"] = at,
        }, TableUpdateMode.Merge, cancellationToken);
}
