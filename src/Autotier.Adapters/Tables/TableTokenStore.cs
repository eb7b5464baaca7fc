using Autotier.Application.Ports;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// Used link nonces, one row each (<c>nonce / &lt;escaped nonce&gt;</c>, with its expiry for the
/// hourly housekeeping). The insert is the claim: two clicks of the same link race on it, one wins.
/// </summary>
public sealed class TableTokenStore(TableClient table) : ITokenStore
{
    public async Task<bool> UseAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(new TableEntity("nonce", TableKeys.Escape(nonce)) { ["ExpiresAt"] = expiresAt }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task ForgetAsync(string nonce, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync("nonce", TableKeys.Escape(nonce), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not used, or forgotten already.
        }
    }

    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"nonce"} and ExpiresAt lt {now}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            expired++;
        }
        return expired;
    }
}
