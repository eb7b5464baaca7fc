using System.Text.RegularExpressions;

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
public static partial class KbCandidates
{
    public static IReadOnlyList<KbCandidate> Find(IEnumerable<Escalation> escalations, int minCount = 3, double minSimilarity = 0.5)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        var groups = new List<(string Category, HashSet<string> Terms, List<Escalation> Items)>();
        foreach (var e in escalations)
        {
            var t = Terms(e.Subject);
            var group = groups.FirstOrDefault(g => g.Category == e.Category && Similarity(g.Terms, t) >= minSimilarity);
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

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "that", "this", "have", "not", "can", "cannot", "but", "from", "are",
        "was", "you", "please", "help", "my", "our",
    };

    /// <summary>
    /// The words of a subject as the TypeScript escalation module takes them (<c>terms</c>): lower
    /// case ASCII letters and digits, three or more, without a few stop words. The similar-tickets
    /// port of the escalation package uses the same.
    /// </summary>
    public static HashSet<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => !StopWords.Contains(w))];
    }

    /// <summary>Jaccard overlap of two word sets: simple and explainable.</summary>
    public static double Similarity(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0) return 0;
        var shared = a.Count(b.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }

    [GeneratedRegex("[a-z0-9]{3,}")]
    private static partial Regex Word();
}
