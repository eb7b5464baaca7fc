using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Autotier.E2ETests.Support;

/// <summary>One thing the app stored: where (table and keys, or container and blob) and its text.</summary>
public sealed record StoredItem(string Where, string Text);

/// <summary>
/// Reads everything in a storage account: every row of every table (the app's Tickets, Events,
/// Resolutions and outbox, the Durable Task Framework's <c>&lt;hub&gt;History</c> and
/// <c>&lt;hub&gt;Instances</c>) and every blob (the Durable large-message container, gzip or not), so
/// a test can search all of it for what must never be stored (a typed password).
/// </summary>
public static class StorageScan
{
    public static async Task<IReadOnlyList<StoredItem>> AllAsync(string connection, CancellationToken cancellationToken)
    {
        var items = new List<StoredItem>();
        var service = new TableServiceClient(connection);
        await foreach (var table in service.QueryAsync(cancellationToken: cancellationToken))
        {
            var client = service.GetTableClient(table.Name);
            await foreach (var row in client.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                var text = new StringBuilder();
                foreach (var (key, value) in row)
                    text.Append(key).Append('=').Append(value is byte[] bytes ? Decode(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                items.Add(new StoredItem($"table {table.Name} {row.PartitionKey} {row.RowKey}", text.ToString()));
            }
        }
        var blobs = new BlobServiceClient(connection);
        await foreach (var container in blobs.GetBlobContainersAsync(cancellationToken: cancellationToken))
        {
            var client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync(cancellationToken: cancellationToken))
            {
                var content = await client.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken);
                items.Add(new StoredItem($"blob {container.Name}/{blob.Name}", Decode(content.Value.Content.ToArray())));
            }
        }
        return items;
    }

    /// <summary>UTF-8 text; gzip (the Durable large messages) unpacked first.</summary>
    private static string Decode(byte[] bytes)
    {
        if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var unpacked = new MemoryStream();
            gzip.CopyTo(unpacked);
            bytes = unpacked.ToArray();
        }
        return Encoding.UTF8.GetString(bytes);
    }
}
