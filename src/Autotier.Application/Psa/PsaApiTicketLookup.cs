using Autotier.Application.Ports;
using Autotier.Application.Webhooks;
using Autotier.Domain.Webhooks;

namespace Autotier.Application.Psa;

/// <summary>
/// The PSA's own copy of a ticket for intake, through the configured PSA's API: a webhook delivery
/// that does not carry the whole ticket (Autotask's never do) is completed from the PSA instead of
/// going to review. A delivery from a PSA other than the configured one finds nothing.
/// </summary>
public sealed class PsaApiTicketLookup(PsaConnection connection) : IPsaTicketLookup
{
    public bool IsConfigured => true;

    public async Task<PsaTicketFields?> GetTicketAsync(string vendor, string ticketId, CancellationToken cancellationToken)
    {
        if (vendor != connection.Vendor) return null;
        var ticket = await connection.Api.GetTicketAsync(ticketId, cancellationToken);
        return ticket is null ? null : new PsaTicketFields
        {
            Id = ticket.Id,
            Number = ticket.Number,
            Summary = ticket.Summary,
            Description = ticket.Description,
            CompanyKeys = ticket.CompanyKeys,
            ContactName = ticket.ContactName,
            ContactEmail = ticket.ContactEmail,
        };
    }
}
