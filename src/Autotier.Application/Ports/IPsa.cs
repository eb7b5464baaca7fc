using Autotier.Domain.Lifecycle;
using Autotier.Domain.Psa;

namespace Autotier.Application.Ports;

/// <summary>
/// Where the MSP's engineers work (ConnectWise, Autotask, HaloPSA): what the workflow's activities
/// write back. Every call is keyed by (ticket, step) and idempotent; with no PSA configured
/// (<see cref="NoPsa"/>) nothing is written and the ticket's own records (timeline, resolution log)
/// are the whole story, as before.
/// </summary>
public interface IPsa
{
    /// <summary>
    /// The ticket's PSA ticket: the one it came from, the one opened before, or one opened now for a
    /// ticket from mail, the portal or the API (once: a retry never opens a second). Null when no PSA
    /// is configured or the client has no PSA company.
    /// </summary>
    Task<PsaTicketHandle?> OpenAsync(string ticketId, CancellationToken cancellationToken);

    /// <summary>The escalation package as an internal note, and the move to the tier's board, queue or team.</summary>
    Task EscalateAsync(EscalationPackage package, string stepKey, CancellationToken cancellationToken);

    /// <summary>An internal note (the requester's reply, a plan, a resolution): plain text, never shown to the requester.</summary>
    Task AddNoteAsync(string ticketId, string note, string stepKey, CancellationToken cancellationToken);

    /// <summary>Sets the mapped PSA status; a status the mapping does not name is left alone.</summary>
    Task SetStatusAsync(string ticketId, PsaStatus status, string stepKey, CancellationToken cancellationToken);

    /// <summary>The ticket went up a tier (no plan in time): an internal note and the move to that tier's board, queue or team.</summary>
    Task HandUpAsync(string ticketId, int tier, string note, string stepKey, CancellationToken cancellationToken);
}

/// <summary>No PSA configured: nothing is written back.</summary>
public sealed class NoPsa : IPsa
{
    public static readonly NoPsa Instance = new();

    public Task<PsaTicketHandle?> OpenAsync(string ticketId, CancellationToken cancellationToken) => Task.FromResult<PsaTicketHandle?>(null);

    public Task EscalateAsync(EscalationPackage package, string stepKey, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AddNoteAsync(string ticketId, string note, string stepKey, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetStatusAsync(string ticketId, PsaStatus status, string stepKey, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task HandUpAsync(string ticketId, int tier, string note, string stepKey, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The few REST calls autotier makes of a PSA, whichever it is (one adapter per vendor). Ids are the
/// PSA's own. Failures throw <see cref="Psa.PsaApiException"/> after throttling and server errors
/// were retried within a bound; a 404 on a read is null.
/// </summary>
public interface IPsaApi
{
    /// <summary><see cref="PsaVendors"/>: connectwise, autotask or halopsa.</summary>
    string Vendor { get; }

    /// <summary>The ticket with its company and contact; null when the PSA has no such ticket.</summary>
    Task<PsaTicket?> GetTicketAsync(string id, CancellationToken cancellationToken);

    /// <summary>The text of the ticket's notes, to see whether a write-back already happened.</summary>
    Task<IReadOnlyList<string>> NoteTextsAsync(string id, CancellationToken cancellationToken);

    /// <summary>An internal note, never shown to the requester.</summary>
    Task AddNoteAsync(string id, string text, CancellationToken cancellationToken);

    /// <summary>Moves the ticket to a board, queue or team and/or sets its status (both PSA ids); absolute, so a repeat changes nothing.</summary>
    Task UpdateAsync(string id, string? status, string? queue, CancellationToken cancellationToken);

    /// <summary>The company's ticket whose summary carries <paramref name="reference"/> (what autotier opened before).</summary>
    Task<PsaTicketHandle?> FindByReferenceAsync(string reference, string companyId, CancellationToken cancellationToken);

    /// <summary>Opens a ticket for the company, with the requester's contact when the PSA knows the address.</summary>
    Task<PsaTicketHandle> CreateTicketAsync(PsaNewTicket ticket, CancellationToken cancellationToken);

    /// <summary>The ticket's status with its notes and time entries; null when there is no such ticket.</summary>
    Task<PsaTicketState?> TicketStateAsync(string id, CancellationToken cancellationToken);
}

/// <summary>The PSA this deployment works with (<c>AUTOTIER_PSA_TYPE</c>): its API and how its companies, boards and statuses map.</summary>
public sealed record PsaConnection(IPsaApi Api, PsaMapping Mapping)
{
    public string Vendor => Api.Vendor;
}

/// <summary>
/// External ids of tickets per client (<c>&lt;vendor&gt;:&lt;PSA id&gt;</c>): those a PSA ticket came
/// with, and those of PSA tickets autotier opened, so the PSA's events find their ticket and its
/// "new ticket" event makes no second one.
/// </summary>
public interface ITicketLinks
{
    Task<string?> FindAsync(string clientId, string externalId, CancellationToken cancellationToken);

    /// <summary>Links the external id to the ticket unless it is linked already (the first link stays).</summary>
    Task LinkAsync(string clientId, string externalId, string ticketId, CancellationToken cancellationToken);
}

/// <summary>The PSA notes and time entries already reported to a workflow: claimed before raising, released if raising fails.</summary>
public interface IPsaSeen
{
    /// <summary>True the first time a key is claimed (until released).</summary>
    Task<bool> ClaimAsync(string key, DateTimeOffset keepUntil, CancellationToken cancellationToken);

    Task ReleaseAsync(string key, CancellationToken cancellationToken);
}
