namespace Autotier.Domain.Metrics;

/// <summary>
/// How a ticket ended, one answer each (for stacked charts): deflected (verified), a person was
/// involved (escalated or an engineer's fix), closed after no answer, confirmed but inside the
/// reopen window, or still open. Strings on the wire as the TypeScript app writes them (the keys of
/// <see cref="WeekFigures.Endings"/>).
/// </summary>
public static class Endings
{
    public const string Deflected = "deflected";
    public const string Engineer = "engineer";
    public const string NoAnswer = "no_answer";
    public const string AwaitingWindow = "awaiting_window";
    public const string Open = "open";

    /// <summary>Every ending, in the order the TypeScript figures list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Deflected, Engineer, NoAnswer, AwaitingWindow, Open];
}

/// <summary>
/// What one ticket contributes to a client's figures, worked out from its summary at query time
/// (TypeScript <c>ticketFigures</c>): the reopen window and the SLA's response deadline depend on the
/// query's now, business time on the client's current hours, so none of it is stored.
/// </summary>
/// <param name="Confirmed">Automation resolved it and the requester said so, before any person was involved.</param>
/// <param name="Unconfirmed">Closed after the requester went quiet: never counted as deflected.</param>
/// <param name="Verified">Confirmed, not reopened, and the reopen window is over: the honest deflection.</param>
/// <param name="AwaitingReopenWindow">Confirmed and not reopened yet, but still inside the reopen window.</param>
/// <param name="ResolvedBy">Who resolved it in the end (null while it is open): requester, engineer or silence.</param>
/// <param name="Ending">One of <see cref="Endings"/>.</param>
public sealed record TicketFigures(
    string TicketId,
    DateTimeOffset ReceivedAt,
    string Category,
    bool Escalated,
    bool Confirmed,
    bool Unconfirmed,
    bool Reopened,
    bool Verified,
    bool AwaitingReopenWindow,
    string? ResolvedBy,
    string Ending,
    long? AcknowledgementMs,
    long? FirstResponseMs,
    long? ResolutionMs,
    IReadOnlyList<long> EscalationHandleMs,
    long? AcknowledgementBusinessMs,
    long? FirstResponseBusinessMs,
    long? ResolutionBusinessMs,
    IReadOnlyList<long> EscalationHandleBusinessMs,
    bool ResponseBreached,
    bool ResolutionBreached,
    int? Rating)
{
    /// <summary>Who sent the first answer: <c>automation</c> (a guide) or <c>person</c> (a public plan or fix); null without one.</summary>
    public string? FirstResponseBy { get; init; }

    /// <summary>
    /// The figures of one ticket. <paramref name="businessTime"/> is the business time between two
    /// instants in the client's hours (<see cref="Lifecycle.BusinessTime.Between"/>, or a
    /// <see cref="Lifecycle.BusinessCalendar"/> of it when many tickets are worked out at once).
    /// </summary>
    public static TicketFigures Of(TicketOutcomes s, Func<DateTimeOffset, DateTimeOffset, TimeSpan> businessTime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(businessTime);
        var received = s.ReceivedAt;
        long? Wall(DateTimeOffset? at) => at is { } t ? Math.Max(0, MillisecondsBetween(received, t)) : null;
        long? Business(DateTimeOffset? at) => at is { } t ? Milliseconds(businessTime(received, t)) : null;

        var firstCycle = s.Resolutions.FirstOrDefault(r => r.Cycle == 0);
        var escalatedInFirstCycle = s.Escalations.Any(e => e.Cycle == 0);
        var confirmed = firstCycle?.By == "requester" && !escalatedInFirstCycle;
        var reopened = s.Reopens.Count > 0;
        var cycles = s.Reopens.Aggregate(0, (n, r) => Math.Max(n, r.N));
        // The ticket is resolved if the latest cycle (after the last reopen) has a resolution.
        var current = s.Resolutions.LastOrDefault(r => r.Cycle >= cycles);
        // Each escalated cycle's first escalation, to the first resolution of that cycle at or after it.
        var handles = new List<(DateTimeOffset From, DateTimeOffset To)>();
        foreach (var cycle in s.Escalations.Select(e => e.Cycle).Distinct())
        {
            var escalatedAt = s.Escalations.First(e => e.Cycle == cycle).At;
            if (s.Resolutions.FirstOrDefault(r => r.Cycle == cycle && r.At >= escalatedAt) is { } resolution)
                handles.Add((escalatedAt, resolution.At));
        }
        var escalated = s.Escalations.Count > 0;
        var verified = confirmed && !reopened && s.ClosedAt is not null;
        var unconfirmed = firstCycle?.By == "silence" && !escalatedInFirstCycle;
        var ending = verified ? Endings.Deflected
            : escalated || current?.By == "engineer" ? Endings.Engineer
            : unconfirmed ? Endings.NoAnswer
            : confirmed && !reopened ? Endings.AwaitingWindow
            : Endings.Open;
        var responseBreached = s.ResponseDue is { } due && (s.FirstResponseAt is { } first ? first > due : now > due);
        return new TicketFigures(
            s.TicketId,
            received,
            s.Category ?? "unclassified",
            escalated,
            confirmed,
            unconfirmed,
            reopened,
            verified,
            AwaitingReopenWindow: confirmed && !reopened && s.ClosedAt is null,
            current?.By,
            ending,
            Wall(s.AcknowledgedAt),
            Wall(s.FirstResponseAt),
            Wall(current?.At),
            [.. handles.Select(h => MillisecondsBetween(h.From, h.To))],
            Business(s.AcknowledgedAt),
            Business(s.FirstResponseAt),
            Business(current?.At),
            [.. handles.Select(h => Milliseconds(businessTime(h.From, h.To)))],
            responseBreached,
            ResolutionBreached: s.SlaBreachedAt is not null,
            s.Rating?.Score)
        { FirstResponseBy = s.FirstResponseAt is null ? null : s.FirstResponseBy };
    }

    /// <summary>Whole milliseconds between two instants, each read to the millisecond as the TypeScript Date.parse reads them.</summary>
    internal static long MillisecondsBetween(DateTimeOffset from, DateTimeOffset to) =>
        to.ToUnixTimeMilliseconds() - from.ToUnixTimeMilliseconds();

    internal static long Milliseconds(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMillisecond;
}
