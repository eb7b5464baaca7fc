using Autotier.Domain.Text;

namespace Autotier.Domain.Kb;

/// <summary>An escalated ticket, as <see cref="KbCandidates.Find"/> groups them.</summary>
public sealed record Escalation(string TicketId, string Subject, string Category);

/// <summary>A group of recurring escalations: an article waiting to be written.</summary>
public sealed record KbCandidate(string Category, IReadOnlyList<string> Subjects, IReadOnlyList<string> TicketIds);

/// <summary>
/// Escalations that keep coming back with the same words are work for a new article (TypeScript
/// <c>kbCandidates</c>): groups of at least <c>minCount</c> escalated tickets of one category whose
/// subjects overlap (Jaccard of their words) by <c>minSimilarity</c> or more with the group's first.
/// </summary>
public static class KbCandidates
{
    public static IReadOnlyList<KbCandidate> Find(IEnumerable<Escalation> escalations, int minCount = 3, double minSimilarity = 0.5)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        var groups = new List<(string Category, HashSet<string> Terms, List<Escalation> Items)>();
        foreach (var e in escalations)
        {
            var t = WordOverlap.Terms(e.Subject);
            var group = groups.FirstOrDefault(g => g.Category == e.Category && WordOverlap.Similarity(g.Terms, t) >= minSimilarity);
            if (group.Items is not null) group.Items.Add(e);
            else groups.Add((e.Category, t, [e]));
        }
        return [.. groups
            .Where(g => g.Items.Count >= minCount)
            // Stable, as JavaScript's sort: equal sizes keep the order the groups began in.
            .OrderByDescending(g => g.Items.Count)
            .Select(g => new KbCandidate(
                g.Category,
                [.. g.Items.Select(i => i.Subject).Distinct(StringComparer.Ordinal)],
                [.. g.Items.Select(i => i.TicketId)]))];
    }
}
