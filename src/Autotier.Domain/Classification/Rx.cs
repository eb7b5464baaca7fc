using System.Text.RegularExpressions;

namespace Autotier.Domain.Classification;

/// <summary>
/// How the classifier's rule tables build their patterns. Ticket text is attacker-controlled, so
/// every pattern has a match timeout (a crafted ticket must not stall a worker: ReDoS); the
/// classifier treats a timeout as "could not screen" and escalates. Patterns run on folded text
/// (lower case, ASCII), so they need no IgnoreCase and stay culture-invariant.
/// </summary>
internal static class Rx
{
    /// <summary>Generous for one pattern on one ticket (they take microseconds); a stall, not a slow CPU, trips it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    public static Regex P(string pattern, RegexOptions extra = RegexOptions.None) =>
        new(pattern, RegexOptions.CultureInvariant | extra, Timeout);

    /// <summary>True when any of the patterns matches.</summary>
    public static bool Any(string text, params Regex[] patterns) => patterns.Any(p => p.IsMatch(text));

    /// <summary>True when one sentence matches every pattern ("a thing and what happened to it").</summary>
    public static bool Together(IReadOnlyList<string> sentences, params Regex[] patterns) =>
        sentences.Any(s => patterns.All(p => p.IsMatch(s)));

    /// <summary>The first sentence matching every pattern, or null: for the words a reason quotes.</summary>
    public static string? SentenceWith(IReadOnlyList<string> sentences, params Regex[] patterns) =>
        sentences.FirstOrDefault(s => patterns.All(p => p.IsMatch(s)));

    /// <summary>The words a pattern matched in <paramref name="text"/>, trimmed to a short quote.</summary>
    public static string? Quote(Regex pattern, string? text)
    {
        if (text is null) return null;
        var m = pattern.Match(text);
        if (!m.Success) return null;
        var words = m.Value.Trim();
        return words.Length <= 40 ? words : words[..40].TrimEnd() + "...";
    }
}
