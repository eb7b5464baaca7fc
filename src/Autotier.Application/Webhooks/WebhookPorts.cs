using System.Text.Json.Serialization;
using Autotier.Domain.Webhooks;

namespace Autotier.Application.Webhooks;

/// <summary>
/// What waits on the intake queue: one accepted webhook delivery, not yet a ticket (the TypeScript
/// app's IntakeMessage: <c>{source, eventId, raw, receivedAt}</c>), or a claim on Blob storage for a
/// delivery too large for a queue message (<c>{"$claim": "&lt;blob&gt;"}</c>). A delivery a person
/// assigned from the Review table carries the client they chose.
/// </summary>
public sealed record WebhookDelivery
{
    public string? Source { get; init; }

    public string? EventId { get; init; }

    public string? Raw { get; init; }

    public string? ReceivedAt { get; init; }

    [JsonPropertyName("$claim")]
    public string? Claim { get; init; }

    /// <summary>Set by <c>autotier review assign --client</c>: file it for this client, as if it had been placed.</summary>
    public string? AssignedClient { get; init; }
}

/// <summary>The intake queue, with the claim check: a delivery too large for a message goes to Blob and the message names it.</summary>
public interface IDeliveryInbox
{
    Task SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    /// <summary>The delivery a claim names; null when its blob is gone (handled before).</summary>
    Task<WebhookDelivery?> ReadClaimAsync(string claim, CancellationToken cancellationToken);

    /// <summary>Drops a claimed delivery once it was handled.</summary>
    Task DropClaimAsync(string claim, CancellationToken cancellationToken);
}

/// <summary>Delivery ids seen (replay protection): claimed atomically before anything is queued, let go if queuing fails.</summary>
public interface IDeliveryIds
{
    /// <summary>True the first time the id is claimed, false when it was claimed before (and not let go).</summary>
    Task<bool> ClaimAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    Task ReleaseAsync(string id, CancellationToken cancellationToken);
}

/// <summary>A delivery that could not become a ticket, kept whole for a person: what came, from where, why.</summary>
public sealed record ReviewItem(string Id, string Source, string EventId, string Reason, string Raw, string ReceivedAt)
{
    /// <summary>Where the delivery's bytes are when they are kept in Blob storage instead of <see cref="Raw"/> (a mail: <c>raw/&lt;sha256&gt;.eml</c>).</summary>
    public string? Blob { get; init; }

    /// <summary>The id of the item a (source, event id) makes: the same delivery twice is one item.</summary>
    public static string IdFor(string source, string eventId) => $"{source}|{eventId}";
}

/// <summary>The Review table. Nothing is dropped: what cannot be placed waits here for a person.</summary>
public interface IReviewStore
{
    /// <summary>Keeps the item under its id; keeping the same item twice keeps it once.</summary>
    Task KeepAsync(ReviewItem item, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReviewItem>> ListAsync(CancellationToken cancellationToken);

    Task<ReviewItem?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes the item; false when it was not there.</summary>
    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken);
}

/// <summary>The PSA's own copy of a ticket, when a delivery does not carry all of it (Autotask never does).</summary>
public interface IPsaTicketLookup
{
    bool IsConfigured { get; }

    Task<PsaTicketFields?> GetTicketAsync(string vendor, string ticketId, CancellationToken cancellationToken);
}

/// <summary>Without a PSA API client: a delivery must carry the whole ticket, else it goes to review.</summary>
public sealed class NoPsaTicketLookup : IPsaTicketLookup
{
    public bool IsConfigured => false;

    public Task<PsaTicketFields?> GetTicketAsync(string vendor, string ticketId, CancellationToken cancellationToken) =>
        Task.FromResult<PsaTicketFields?>(null);
}
