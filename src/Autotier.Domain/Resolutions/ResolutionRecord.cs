namespace Autotier.Domain.Resolutions;

/// <summary>
/// What became of a ticket, as the resolution log records it (TypeScript <c>ResolutionRecord</c>,
/// same field names). Feeds the knowledge base's candidates now; similar-ticket search and the
/// metrics when they are ported.
/// </summary>
/// <param name="Outcome">One of <see cref="Outcomes"/>.</param>
/// <param name="Summary">How it was solved (an engineer's note, the article sent).</param>
/// <param name="Reopened">The requester came back after this solution: it is not how to solve such a ticket.</param>
public sealed record ResolutionRecord(
    string TicketId,
    string ClientId,
    string Category,
    string Outcome,
    string Subject,
    string Summary,
    DateTimeOffset At,
    string? ArticleId = null,
    bool? Reopened = null);

/// <summary>Outcome ids, strings on the wire as the TypeScript app writes them.</summary>
public static class Outcomes
{
    public const string ResolvedConfirmed = "resolved_confirmed";
    public const string ResolvedUnconfirmed = "resolved_unconfirmed";
    public const string ResolvedByEngineer = "resolved_by_engineer";
    public const string Escalated = "escalated";
    public const string Reopened = "reopened";

    public static IReadOnlyList<string> All { get; } = [ResolvedConfirmed, ResolvedUnconfirmed, ResolvedByEngineer, Escalated, Reopened];

    /// <summary>The outcomes that solved the ticket: what similar-ticket search and the knowledge base learn from.</summary>
    public static IReadOnlySet<string> Solved { get; } = new HashSet<string>(StringComparer.Ordinal) { ResolvedConfirmed, ResolvedUnconfirmed, ResolvedByEngineer };
}
