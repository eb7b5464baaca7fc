using Autotier.Application.Ports;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>
/// External ids of tickets in the Tickets table: the very rows <see cref="TableTicketStore"/> claims
/// for a ticket's own external id at intake (<c>x|&lt;client&gt; / &lt;escaped external id&gt;</c>,
/// column <c>TicketId</c>), so a PSA ticket's id finds the ticket it came as, and links added for
/// PSA tickets autotier opened sit beside them. Insert-only: the first link stays.
/// </summary>
public sealed class TableTicketLinks(TableClient table) : ITicketLinks
{
    public async Task<string?> FindAsync(string clientId, string externalId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition(clientId), TableKeys.Escape(externalId), ["TicketId"], cancellationToken);
        return row.HasValue ? row.Value?.GetString("TicketId") : null;
    }

    public async Task LinkAsync(string clientId, string externalId, string ticketId, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(new TableEntity(Partition(clientId), TableKeys.Escape(externalId)) { ["TicketId"] = ticketId }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Linked before (a retry, or the ticket came with this id): the first link stays.
        }
    }

    /// <summary>The same partition as <see cref="TableTicketStore"/>'s external-id claims.</summary>
    private static string Partition(string clientId) => "x|" + clientId;
}

/// <summary>
/// PSA notes and time entries already reported to a workflow, in the Tokens table beside the link
/// nonces and in their row format (<c>nonce / &lt;escaped "psa|" + key&gt;</c> with <c>ExpiresAt</c>),
/// so the hourly housekeeping's sweep of expired nonces forgets them too once their time is up.
/// The insert is the claim; a release deletes it so a retried delivery reports the note.
/// </summary>
public sealed class TablePsaSeen(TableClient table) : IPsaSeen
{
    // The link nonces' rows (partition "nonce", swept hourly once expired), under a "psa|" prefix.
    private readonly TableTokenStore tokens = new(table);

    public Task<bool> ClaimAsync(string key, DateTimeOffset keepUntil, CancellationToken cancellationToken) =>
        tokens.UseAsync("psa|" + key, keepUntil, cancellationToken);

    public Task ReleaseAsync(string key, CancellationToken cancellationToken) => tokens.ForgetAsync("psa|" + key, cancellationToken);
}
