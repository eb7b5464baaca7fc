using Autotier.Application.Ports;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// Corrections in their own table (<c>&lt;prefix&gt;Corrections</c>): partition the client, row
/// <c>&lt;ticketId&gt;|&lt;sequence&gt;</c>, so a client's training set is one partition query and a
/// retried write of the same correction is a 409 that changes nothing.
/// </summary>
public sealed class TableCorrectionStore(TableClient table) : ICorrectionStore
{
    public async Task RecordAsync(CorrectionRecord correction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        var entity = new TableEntity(TableKeys.Escape(correction.ClientId), RowKey(correction.TicketId, correction.Sequence))
        {
            ["ClientId"] = correction.ClientId,
            ["TicketId"] = correction.TicketId,
            ["Sequence"] = correction.Sequence,
            ["At"] = correction.At,
            ["By"] = correction.By,
            ["Subject"] = correction.Subject,
            ["Body"] = correction.Body,
            ["FromCategory"] = correction.FromCategory,
            ["ToCategory"] = correction.ToCategory,
            ["FromPriority"] = correction.FromPriority,
            ["ToPriority"] = correction.ToPriority,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Stored by an earlier try of the same request.
        }
    }

    public async Task<IReadOnlyList<CorrectionRecord>> ListAsync(string clientId, CancellationToken cancellationToken)
    {
        var rows = new List<CorrectionRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(clientId)}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(new CorrectionRecord(
                e.GetString("ClientId"),
                e.GetString("TicketId"),
                e.GetInt32("Sequence") ?? 0,
                e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
                e.GetString("By"),
                e.GetString("Subject"),
                e.GetString("Body"),
                e.GetString("FromCategory"),
                e.GetString("ToCategory"),
                e.GetString("FromPriority"),
                e.GetString("ToPriority")));
        }
        return [.. rows.OrderBy(r => r.At).ThenBy(r => r.TicketId, StringComparer.Ordinal).ThenBy(r => r.Sequence)];
    }

    // Zero-padded so a ticket's corrections sort in order within the partition.
    private static string RowKey(string ticketId, int sequence) =>
        TableKeys.Escape(ticketId) + "|" + sequence.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
}
