namespace Autotier.Domain.Tickets;

/// <summary>A ticket as intake accepted it, before it has an id or a stage.</summary>
/// <param name="ExternalId">The source's own key (idempotency): <c>api:…</c> for the API, the PSA's id for a PSA.</param>
public sealed record NewTicket(
    string ClientId,
    Requester Requester,
    string Subject,
    string Body,
    string? ExternalId,
    Channel Channel)
{
    /// <summary>The ticket number the PSA shows people, for tickets that came from a PSA.</summary>
    public string? ExternalNumber { get; init; }

    /// <summary>The PSA ticket autotier opened for this one, when it did not come from the PSA.</summary>
    public PsaTicketRef? PsaTicket { get; init; }

    /// <summary>The finished ticket this one follows up (a reply that came after its workflow ended).</summary>
    public string? FollowUpOf { get; init; }

    /// <summary>
    /// Addresses besides the requester's that may answer for this ticket (the To and Cc of the
    /// requester's own mails on its thread), lower case. A list compares by reference in record equality.
    /// </summary>
    public IReadOnlyList<string>? Participants { get; init; }

    /// <summary>
    /// What the classifier made of the ticket at intake (on its masked, cleaned text), or null when
    /// the caller did not classify it. A classified ticket is stored at stage classified.
    /// </summary>
    public Classification.TicketClassification? Classification { get; init; }
}
