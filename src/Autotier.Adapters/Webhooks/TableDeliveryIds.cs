using Autotier.Adapters.Tables;
using Autotier.Application.Webhooks;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Webhooks;

/// <summary>
/// Delivery ids in the tokens table, as the TypeScript app keeps them (<c>nonce / &lt;escaped
/// "webhook:&lt;source&gt;:&lt;id&gt;"&gt;</c> with its expiry, so the hourly housekeeping sweeps them
/// with the link nonces). The insert is the claim; letting go deletes the row.
/// </summary>
public sealed class TableDeliveryIds(TableClient table) : IDeliveryIds
{
    public async Task<bool> ClaimAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(new TableEntity("nonce", TableKeys.Escape(id)) { ["ExpiresAt"] = expiresAt }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task ReleaseAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync("nonce", TableKeys.Escape(id), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
