namespace Autotier.Domain.Alerts;

/// <summary>
/// One alert as the notifier queues it (TypeScript <c>Notification</c>), plus what makes a card lead
/// somewhere: who the client is, what the ticket is about, how urgent, and when it is due. Those
/// extra fields are optional so an alert about the system itself (<c>_intake</c>, <c>_alerts</c>)
/// needs none of them.
/// </summary>
/// <param name="Key">Unique per ticket and occasion: the same key never alerts twice.</param>
/// <param name="Tier">The tier the ticket is at; picks the audience unless <see cref="Audience"/> says on call.</param>
/// <param name="Kind">escalation, tier_handoff, sla_warning, sla_breach, p1_page, ... (see <see cref="AlertKinds"/>).</param>
public sealed record AlertFacts(string Key, string TicketId, string ClientId, int Tier, string Kind, string Message, DateTimeOffset At)
{
    /// <summary>On call, whatever the tier; null for the tier's own audience.</summary>
    public Audience? Audience { get; init; }

    public string? ClientName { get; init; }

    public string? Subject { get; init; }

    /// <summary>The requester's name or address, as engineers need it to call back.</summary>
    public string? Requester { get; init; }

    /// <summary>P1..P4.</summary>
    public string? Priority { get; init; }

    /// <summary>What the ticket is about; a card shows its first two lines.</summary>
    public string? Summary { get; init; }

    /// <summary>The next due time (response while no person has answered, else resolution).</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>The client's IANA time zone, for showing <see cref="DueAt"/> as the client's people read it.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Alerts about the system itself (<c>_intake</c>, <c>_alerts</c>) name no ticket to open.</summary>
    public bool IsAboutTicket => !TicketId.StartsWith('_');
}
