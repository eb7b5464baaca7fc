using Autotier.Domain.Classification;
using Autotier.Domain.Mail;
using Autotier.Domain.Text;

namespace Autotier.Domain.Lifecycle;

/// <summary>
/// One incident for many tickets: five "internet is down" tickets from one client on a Monday
/// morning are one outage, with one page, one engineer's plan and resolution for all of them, and
/// the same updates to every requester. Tickets join an open incident of their client when they are
/// the same kind (an outage, or the same security kind) and their words overlap enough, within
/// <see cref="Window"/> of the incident's latest ticket.
/// </summary>
public sealed record Incident(string IncidentId, string ClientId, string Kind, string LeadTicketId, DateTimeOffset OpenedAt, DateTimeOffset LastJoinedAt, IReadOnlyList<string> Members, string Words, bool Closed = false);

/// <summary>Where a ticket stands in its incident: the incident and the ticket that leads it (whose engineer acts for all).</summary>
public sealed record IncidentLink(string IncidentId, string LeadTicketId)
{
    public bool IsLead(string ticketId) => string.Equals(LeadTicketId, ticketId, StringComparison.Ordinal);
}

public static class Incidents
{
    /// <summary>How long after an incident's latest ticket a new one may still join it.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(2);

    /// <summary>Word overlap (Jaccard) from which two tickets of one kind are the same incident.</summary>
    public const double MinSimilarity = 0.12;

    public const string Outage = "outage";

    /// <summary>The incident kind of a ticket, or null for a ticket that is not an outage or a security incident.</summary>
    public static string? KindOf(TicketClassification classification, string subject, string body)
    {
        ArgumentNullException.ThrowIfNull(classification);
        if (SecurityAdvice.KindOf(classification, subject, body) is { } security) return "security:" + security.ToString().ToLowerInvariant();
        if (classification.Priority == Priorities.P1 && classification.Category == Categories.Engineering) return Outage;
        return null;
    }

    /// <summary>The words that identify a ticket for matching: its subject and the start of its body.</summary>
    public static string WordsOf(string subject, string body) =>
        string.Join(' ', Terms(subject + " " + (body.Length > 400 ? body[..400] : body)).Order(StringComparer.Ordinal));

    /// <summary>The open incident this ticket belongs to, or null: same client and kind, recent, similar words.</summary>
    public static Incident? Match(IEnumerable<Incident> open, string clientId, string kind, string words, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(open);
        var mine = Terms(words);
        return open
            .Where(i => !i.Closed && i.ClientId == clientId && i.Kind == kind && at - i.LastJoinedAt <= Window && at >= i.OpenedAt)
            .Select(i => (Incident: i, Score: Similarity(mine, Terms(i.Words))))
            .Where(x => x.Score >= MinSimilarity)
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Incident.OpenedAt)
            .Select(x => x.Incident)
            .FirstOrDefault();
    }

    /// <summary>The ticket's words, accents folded first so "Drucker" and "drücker" match (<see cref="WordOverlap"/>).</summary>
    public static IReadOnlySet<string> Terms(string text) => WordOverlap.Terms(TextRules.FoldText(text ?? ""));

    public static double Similarity(IReadOnlySet<string> a, IReadOnlySet<string> b) => WordOverlap.Similarity(a, b);
}
