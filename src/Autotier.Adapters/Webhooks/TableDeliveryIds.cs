using Autotier.Adapters.Tables;
using Autotier.Application.Webhooks;
using Azure.Data.Tables;

namespace Autotier.Adapters.Webhooks;

/// <summary>
/// Delivery ids in the tokens table, as the TypeScript app keeps them (<c>nonce / &lt;escaped
/// "webhook:&lt;source&gt;:&lt;id&gt;"&gt;</c> with its expiry, so the hourly housekeeping sweeps them
/// with the link nonces). The insert is the claim; letting go deletes the row.
/// </summary>
public sealed class TableDeliveryIds(TableClient table) : IDeliveryIds
{
    // The same rows as the link nonces: one claim-and-let-go implementation for both.
    private readonly TableTokenStore tokens = new(table);

    public Task<bool> ClaimAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        tokens.UseAsync(id, expiresAt, cancellationToken);

    public Task ReleaseAsync(string id, CancellationToken cancellationToken) => tokens.ForgetAsync(id, cancellationToken);
}
