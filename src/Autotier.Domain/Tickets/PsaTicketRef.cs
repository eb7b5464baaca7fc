namespace Autotier.Domain.Tickets;

/// <summary>
/// The PSA ticket autotier opened for a ticket that did not come from the PSA (mail, portal, API):
/// every write-back goes there, and <paramref name="Number"/> is what the service desk shows people.
/// </summary>
public sealed record PsaTicketRef(string Vendor, string Id, string Number);
