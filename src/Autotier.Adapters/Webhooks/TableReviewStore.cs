using System.Globalization;
using Autotier.Adapters.Tables;
using Autotier.Application.Webhooks;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Webhooks;

/// <summary>
/// The <c>&lt;prefix&gt;Review</c> table: one row per item (<c>review / &lt;id&gt;</c>). The delivery
/// is kept whole: a string property holds at most 32K characters, so the raw text is split over
/// <c>Raw0..RawN</c> (a 256 KiB delivery fits well inside an entity's 1 MiB).
/// </summary>
public sealed class TableReviewStore(TableClient table) : IReviewStore
{
    private const string Partition = "review";
    private const int Chunk = 30_000;

    public async Task KeepAsync(ReviewItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var row = new TableEntity(Partition, TableKeys.Escape(item.Id))
        {
            ["Id"] = item.Id,
            ["Source"] = item.Source,
            ["EventId"] = item.EventId,
            ["Reason"] = item.Reason.Length > Chunk ? item.Reason[..Chunk] : item.Reason,
            ["ReceivedAt"] = item.ReceivedAt,
            ["Blob"] = item.Blob,
        };
        var chunks = 0;
        for (var i = 0; i < item.Raw.Length; i += Chunk, chunks++)
            row["Raw" + chunks.ToString(CultureInfo.InvariantCulture)] = item.Raw.Substring(i, Math.Min(Chunk, item.Raw.Length - i));
        row["RawChunks"] = chunks;
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<ReviewItem>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<ReviewItem>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
            items.Add(Read(row));
        return items;
    }

    public async Task<ReviewItem?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Escape(id), cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        // The SDK answers a missing entity's delete with its 404 response rather than an exception.
        try
        {
            var response = await table.DeleteEntityAsync(Partition, TableKeys.Escape(id), ETag.All, cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private static ReviewItem Read(TableEntity row)
    {
        var chunks = row.GetInt32("RawChunks") ?? 0;
        var raw = string.Concat(Enumerable.Range(0, chunks).Select(i => row.GetString("Raw" + i.ToString(CultureInfo.InvariantCulture)) ?? ""));
        return new ReviewItem(
            row.GetString("Id") ?? "", row.GetString("Source") ?? "", row.GetString("EventId") ?? "", row.GetString("Reason") ?? "", raw, row.GetString("ReceivedAt") ?? "")
        {
            Blob = row.GetString("Blob"),
        };
    }
}
