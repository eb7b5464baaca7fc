using Autotier.Domain.Classification;
using Autotier.Domain.Secrets;
using Autotier.Domain.Text;

namespace Autotier.Domain.Tickets;

/// <summary>
/// A ticket. This port carries the intake fields and what the acknowledgement mail reads; the
/// workflow's fields (category, priority, SLA, escalation, resolution, …) belong to their own ports.
/// </summary>
public sealed record Ticket(
    string TicketId,
    string ClientId,
    Requester Requester,
    string Subject,
    string Body,
    string? ExternalId,
    Channel Channel,
    Stage Stage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The ticket number the PSA shows people, for tickets that came from a PSA.</summary>
    public string? ExternalNumber { get; init; }

    /// <summary>The PSA ticket autotier opened for this one, when it did not come from the PSA.</summary>
    public PsaTicketRef? PsaTicket { get; init; }

    /// <summary>The finished ticket this one follows up.</summary>
    public string? FollowUpOf { get; init; }

    /// <summary>Addresses besides the requester's that may answer for this ticket, lower case.</summary>
    public IReadOnlyList<string>? Participants { get; init; }

    /// <summary>Files that came with the ticket's mails (not inline pictures), in Blob storage.</summary>
    public IReadOnlyList<TicketAttachment>? Attachments { get; init; }

    /// <summary>
    /// The requester's status page on the portal, with its signed token: set before the workflow
    /// starts so the acknowledgement mail carries it. Never shown by the API.
    /// </summary>
    public string? StatusLink { get; init; }

    /// <summary>The classifier's answer (with an engineer's correction applied, when there is one).</summary>
    public TicketClassification? Classification { get; init; }

    /// <summary>
    /// Engineers' latest corrections of the classification, oldest first: at most
    /// <see cref="MaxCorrectionsKept"/> (every one is in the timeline and the corrections table), so
    /// a ticket corrected again and again still fits one Table Storage property.
    /// </summary>
    public IReadOnlyList<TicketCorrection>? Corrections { get; init; }

    /// <summary>How many corrections were ever made (numbers them: reclassified-1, -2, ...).</summary>
    public int CorrectionCount { get; init; }

    public const int MaxCorrectionsKept = 5;

    /// <summary>The tier that has the ticket (1-3) once the workflow has it.</summary>
    public int? Tier { get; init; }

    /// <summary>The SLA as the workflow last recorded it: response and resolution due, paused, warned, breached.</summary>
    public Lifecycle.SlaView? Sla { get; init; }

    /// <summary>The title of the guide or playbook automation tried, if any.</summary>
    public string? Attempted { get; init; }

    /// <summary>The guide that was sent, so reminders repeat it and its outcome counts for its article.</summary>
    public SentGuide? Guide { get; init; }

    /// <summary>What the playbook checked and did, for the engineer if it comes to that.</summary>
    public Playbooks.PlaybookRecord? Playbook { get; init; }

    /// <summary>What an engineer needs to pick the ticket up (bounded: see <see cref="Lifecycle.EscalationPackage"/>).</summary>
    public Lifecycle.EscalationPackage? Escalation { get; init; }

    /// <summary>The requester's replies, oldest first: the newest <see cref="MaxConversationKept"/> (every one is on the timeline).</summary>
    public IReadOnlyList<ConversationEntry>? Conversation { get; init; }

    public const int MaxConversationKept = 30;

    public int Reopens { get; init; }

    /// <summary>Who resolved it, when, and (for an engineer) their internal note. Cleared by a reopen.</summary>
    public Resolution? Resolution { get; init; }

    /// <summary>Tickets filed from replies that came after this one's workflow ended.</summary>
    public IReadOnlyList<string>? FollowUps { get; init; }

    /// <summary>The engineer who recorded the latest plan (the owner, until the ops page assigns one).</summary>
    public string? Owner { get; init; }

    /// <summary>The incident this ticket is part of (one outage or attack, many tickets), when it is.</summary>
    public string? IncidentId { get; init; }

    /// <summary>When a person first answered the requester (a public plan or a fix): the response SLA is met from then.</summary>
    public DateTimeOffset? RespondedAt { get; init; }

    /// <summary>
    /// A new ticket at stage received. Passwords and one-time codes people typed are masked here,
    /// before anything stores, shows, classifies or forwards the ticket.
    /// </summary>
    public static Ticket Create(string ticketId, NewTicket input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var at = ToIsoInstant(now);
        return new Ticket(
            ticketId,
            input.ClientId,
            input.Requester,
            SecretMasking.Mask(input.Subject).Text,
            SecretMasking.Mask(input.Body).Text,
            input.ExternalId,
            input.Channel,
            input.Classification is null ? Stage.Received : Stage.Classified,
            at,
            at)
        {
            ExternalNumber = input.ExternalNumber,
            PsaTicket = input.PsaTicket,
            FollowUpOf = input.FollowUpOf,
            Participants = input.Participants,
            Classification = input.Classification,
        };
    }

    /// <summary>Whether <paramref name="from"/> is the requester or an address the ticket's own mail thread carried.</summary>
    public bool MayAnswer(string from)
    {
        ArgumentNullException.ThrowIfNull(from);
        // Both sides lower-cased then compared exactly, as the TS does: participants are stored lower case.
        var address = JsText.Trim(from).ToLowerInvariant();
        var requester = JsText.Trim(Requester.Email).ToLowerInvariant();
        return string.Equals(address, requester, StringComparison.Ordinal)
            || (Participants?.Contains(address, StringComparer.Ordinal) ?? false);
    }

    // The TS stores Date.toISOString(): UTC, whole milliseconds. The same here, so a ticket written by
    // either side carries the same instant.
    private static DateTimeOffset ToIsoInstant(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
