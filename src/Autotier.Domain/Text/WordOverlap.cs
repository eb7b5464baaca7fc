using System.Text.RegularExpressions;

namespace Autotier.Domain.Text;

/// <summary>
/// Word overlap of two short texts, as the TypeScript escalation module measures it (<c>terms</c>
/// and <c>similarity</c>): knowledge-base candidates group subjects by it, and incidents link
/// tickets that look alike by it. Written by hand: a set of words and a Jaccard ratio.
/// </summary>
public static partial class WordOverlap
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "that", "this", "have", "not", "can", "cannot", "but", "from", "are",
        "was", "you", "please", "help", "my", "our",
    };

    /// <summary>Lower-case ASCII letters and digits, three or more, without a few stop words.</summary>
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

    [GeneratedRegex("[a-z0-9]{3,}", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
