using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Autotier.Domain.Resolutions;
using Autotier.Domain.Text;

namespace Autotier.Domain.Lifecycle;

/// <summary>A past ticket offered to the engineer with an escalation, with how it was solved (TypeScript <c>SimilarTicket</c>).</summary>
/// <param name="Resolution">How it was solved: the past ticket's summary.</param>
/// <param name="Score">Cosine similarity, rounded to two decimals.</param>
public sealed record SimilarTicket(string TicketId, string Subject, string? Category, string Resolution, double Score);

/// <summary>The client's past tickets that look like this one (TypeScript <c>similarTickets</c>, src/domain/similar.ts).</summary>
public static partial class SimilarTickets
{
    /// <summary>Below this the words two tickets share are too few or too common to be worth an engineer's time.</summary>
    public const double MinSimilarity = 0.2;

    /// <summary>A ticket filed under another category must be this alike to be offered: nearly the same words.</summary>
    public const double CrossCategorySimilarity = 0.5;

    /// <summary>How it was solved counts half as much as what the problem was.</summary>
    private const double SummaryWeight = 0.5;

    /// <summary>Enough of a ticket to say what it is about; keeps the work per ticket bounded.</summary>
    private const int MaxText = 5000;

    /// <summary>Typos are looked for in this many of the ticket's words that no past ticket uses, the first ones.</summary>
    private const int MaxSpelled = 64;

    /// <summary>
    /// Words that say nothing about the problem: function words of the five languages and mail
    /// politeness. The first line is the escalation module's STOP_WORDS (the same list as
    /// <see cref="WordOverlap"/>'s, which keeps it private).
    /// </summary>
    private static readonly HashSet<string> Noise = new(
        """
        the and for with that this have not can cannot but from are was you please help my our
        a an as at be been by do does did i im is it its me of on or so to up us we if in no re via all any
        again also am after before since just now still when what which who why how then than there their
        they them these those will would could should get got has had was were your yours
        hi hello dear team thanks thank regards best kind cheers sent iphone ok okay
        der die das den dem des ein eine einen und oder ist sind bei mit von zu im am auf fur nicht ich es
        wir sie bitte danke hallo gruss grusse mfg vielen seit noch
        el la los las un una y o de del en con por para que se mi su al lo hola gracias saludos
        le les une et ou du des au aux avec pour sur dans ne pas je il elle mon ma mes bonjour merci cordialement
        het een en of van op te met voor niet ik je mijn bij naar dat dit bedankt groeten
        """.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    /// <summary>
    /// The client's past tickets that may help with this one, with how they were solved.
    /// </summary>
    /// <remarks>
    /// The score is the cosine of the two tickets' TF-IDF vectors: 1 when they use the same words in
    /// the same proportions, 0 when they share none, independent of how well other tickets match.
    /// Words count by how rare they are among the past tickets (smoothed IDF, 1 + ln((n + 1) / (df + 1))),
    /// with sublinear term frequency; a past ticket's words are its subject plus, at half weight, how it
    /// was solved. Function words and mail politeness of five languages do not count, English word forms
    /// are stemmed, and a word of this ticket that no past ticket uses is read as one a typo away.
    ///
    /// Tickets of <paramref name="category"/> come first, from <see cref="MinSimilarity"/> up; others
    /// only when nearly the same (<see cref="CrossCategorySimilarity"/>); without a category every
    /// ticket needs <see cref="MinSimilarity"/>. A ticket that was reopened is never offered.
    /// <paramref name="past"/> is newest first (a ticket listed twice counts once, by its newest
    /// record), which also orders equal scores.
    /// </remarks>
    public static IReadOnlyList<SimilarTicket> Find(string text, string? category, IReadOnlyList<ResolutionRecord> past, int limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(past);

        var newest = new Dictionary<string, ResolutionRecord>(StringComparer.Ordinal);
        foreach (var p in past) newest.TryAdd(p.TicketId, p);
        // Dictionary keeps insertion order while nothing is removed, as a JS Map does: the index
        // below is the newest-first position that orders equal scores.
        var candidates = newest.Values.Where(p => p.Reopened != true).ToList();
        if (candidates.Count == 0 || limit <= 0) return [];

        var docs = candidates.Select(p => Counts(Words(p.Summary), SummaryWeight, Counts(Words(p.Subject)))).ToList();
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            foreach (var t in doc.Keys) documentFrequency[t] = documentFrequency.GetValueOrDefault(t) + 1;
        }
        double Idf(string t) => 1 + Math.Log((docs.Count + 1) / (double)(documentFrequency.GetValueOrDefault(t) + 1));
        // Built in the term order of tf so the sums in Cosine add up in the TS order, to the last bit.
        Dictionary<string, double> Weigh(Dictionary<string, double> tf)
        {
            var weighed = new Dictionary<string, double>(tf.Count, StringComparer.Ordinal);
            foreach (var (t, n) in tf) weighed[t] = TfWeight(n) * Idf(t);
            return weighed;
        }

        var known = documentFrequency.Keys.ToHashSet(StringComparer.Ordinal);
        var lengths = ByLength(documentFrequency.Keys);
        var spelled = new Dictionary<string, string>(StringComparer.Ordinal);
        string Spell(string t)
        {
            if (known.Contains(t)) return t;
            if (spelled.TryGetValue(t, out var spelling)) return spelling;
            if (spelled.Count >= MaxSpelled) return t;
            spelling = SpellLike(t, known, lengths);
            spelled[t] = spelling;
            return spelling;
        }
        var query = Weigh(Counts(Words(text).Select(Spell).ToList()));
        if (query.Count == 0) return [];

        return candidates
            .Select((p, i) => (
                p,
                i,
                SameCategory: category is not null && string.Equals(p.Category, category, StringComparison.Ordinal),
                Score: Cosine(query, Weigh(docs[i]))))
            .Where(h => h.Score >= (category is null || h.SameCategory ? MinSimilarity : CrossCategorySimilarity))
            .OrderByDescending(h => h.SameCategory)
            .ThenByDescending(h => h.Score)
            .ThenBy(h => h.i)
            .Take(limit)
            // Math.round(score * 100) / 100: halves round up, unlike Math.Round's banker's rounding.
            .Select(h => new SimilarTicket(h.p.TicketId, h.p.Subject, h.p.Category, h.p.Summary, Math.Floor((h.Score * 100) + 0.5) / 100))
            .ToList();
    }

    /// <summary>
    /// A crude English stemmer, applied alike to both sides: "drops", "dropped" and "dropping" are
    /// "drop"; "updated" and "update" are "updat". Other languages keep their words whole.
    /// </summary>
    private static string Stem(string word)
    {
        if (word.Length <= 4 || AsciiDigit().IsMatch(word)) return word;
        var stemmed = word;
        var ending = word.EndsWith("ing", StringComparison.Ordinal) ? 3 : word.EndsWith("ed", StringComparison.Ordinal) ? 2 : 0;
        if (ending > 0 && word.Length - ending >= 3)
        {
            stemmed = word[..^ending];
            if (DoubledConsonantAtEnd().IsMatch(stemmed)) stemmed = stemmed[..^1];
        }
        else if (word.EndsWith("ies", StringComparison.Ordinal)) stemmed = string.Concat(word.AsSpan(0, word.Length - 3), "y");
        else if (SibilantEsAtEnd().IsMatch(word)) stemmed = word[..^2];
        else if (PluralSAtEnd().IsMatch(word)) stemmed = word[..^1];
        return stemmed.Length > 3 && stemmed.EndsWith('e') ? stemmed[..^1] : stemmed;
    }

    private static List<string> Words(string text)
    {
        var folded = TextRules.FoldText(WithoutLoneSurrogates(text.Length > MaxText ? text[..MaxText] : text));
        var words = new List<string>();
        // By hand rather than /[\p{L}\p{N}]+/u: a .NET regex sees UTF-16 units, so it would split a
        // letter outside the BMP (a CJK extension ideograph) that the TS pattern keeps in its word.
        var at = 0;
        while (at < folded.Length)
        {
            var start = at;
            while (at < folded.Length && IsLetterOrNumber(folded, at, out var size)) at += size;
            if (at == start)
            {
                at++;
                continue;
            }
            var word = folded[start..at];
            // Lengths in UTF-16 units throughout, as JS counts them.
            if (word.Length < 2 || Noise.Contains(word) || OneOrTwoDigits().IsMatch(word)) continue;
            words.Add(Stem(word));
        }
        return words;
    }

    private static bool IsLetterOrNumber(string text, int at, out int size)
    {
        if (Rune.DecodeFromUtf16(text.AsSpan(at), out var rune, out size) != OperationStatus.Done) return false;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
    }

    /// <summary>
    /// .NET's normalisation throws on a lone surrogate where JS keeps it: one from a broken mail, or
    /// the half of a pair that <see cref="MaxText"/> cuts. Neither is a letter, so U+FFFD in its
    /// place splits the words exactly as the TS does.
    /// </summary>
    private static string WithoutLoneSurrogates(string text)
    {
        StringBuilder? repaired = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                repaired?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                repaired ??= new StringBuilder(text, 0, i, text.Length);
                repaired.Append('\uFFFD');
                continue;
            }
            repaired?.Append(c);
        }
        return repaired?.ToString() ?? text;
    }

    private static Dictionary<string, double> Counts(List<string> terms, double weight = 1, Dictionary<string, double>? into = null)
    {
        into ??= new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var t in terms) into[t] = into.GetValueOrDefault(t) + weight;
        return into;
    }

    /// <summary>Edit distance up to <paramref name="max"/> (more is reported as max + 1), for typos like "forticlent".</summary>
    /// <remarks>
    /// Rows of bytes as the TS keeps them in a Uint8Array: a cell past 255 (words of 255 and more
    /// characters) wraps the same way here, by the unchecked byte cast, so both give the same answer.
    /// </remarks>
    private static int WithinEdits(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max) return max + 1;
        var previous = new byte[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = (byte)Math.Min(j, 255);
        var current = new byte[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = (byte)Math.Min(i, 255);
            int rowBest = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                current[j] = unchecked((byte)value);
                if (value < rowBest) rowBest = value;
            }
            if (rowBest > max) return max + 1;
            (previous, current) = (current, previous);
        }
        return Math.Min(previous[b.Length], max + 1);
    }

    /// <summary>Known words by length, so a typo is only compared with words of about its length.</summary>
    private static Dictionary<int, List<string>> ByLength(IEnumerable<string> vocabulary)
    {
        var index = new Dictionary<int, List<string>>();
        foreach (var word in vocabulary)
        {
            if (index.TryGetValue(word.Length, out var same)) same.Add(word);
            else index[word.Length] = [word];
        }
        return index;
    }

    /// <summary>A word of the ticket that no past ticket uses is read as the closest one that does, if one is a typo away.</summary>
    private static string SpellLike(string term, HashSet<string> known, Dictionary<int, List<string>> lengths)
    {
        var max = term.Length >= 8 ? 2 : term.Length >= 5 ? 1 : 0;
        if (max == 0 || known.Contains(term) || AsciiDigit().IsMatch(term)) return term;
        var best = term;
        var bestDistance = max + 1;
        for (var length = term.Length - max; length <= term.Length + max; length++)
        {
            if (!lengths.TryGetValue(length, out var sameLength)) continue;
            foreach (var word in sameLength)
            {
                var distance = WithinEdits(term, word, bestDistance - 1);
                if (distance < bestDistance) (best, bestDistance) = (word, distance);
            }
        }
        return best;
    }

    /// <summary>Sublinear term frequency: the tenth "printer" adds less than the second.</summary>
    private static double TfWeight(double tf) => tf > 1 ? 1 + Math.Log(tf) : tf;

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        double dot = 0;
        foreach (var (t, w) in a) dot += w * b.GetValueOrDefault(t);
        var denominator = Norm(a) * Norm(b);
        return denominator == 0 ? 0 : dot / denominator;
    }

    private static double Norm(Dictionary<string, double> v)
    {
        double sum = 0;
        foreach (var w in v.Values) sum += w * w;
        return Math.Sqrt(sum);
    }

    // JS \d is ASCII only; .NET's \d takes any Unicode digit, hence [0-9].
    [GeneratedRegex("[0-9]", RegexOptions.CultureInvariant)]
    private static partial Regex AsciiDigit();

    [GeneratedRegex(@"^[0-9]{1,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex OneOrTwoDigits();

    // A doubled consonant other than l and s ("dropp" of "dropped"), which the stem loses: "called" stays "call".
    [GeneratedRegex(@"([b-df-hj-km-np-rt-z])\1\z", RegexOptions.CultureInvariant)]
    private static partial Regex DoubledConsonantAtEnd();

    [GeneratedRegex(@"(?:sh|ch|x|ss|z)es\z", RegexOptions.CultureInvariant)]
    private static partial Regex SibilantEsAtEnd();

    [GeneratedRegex(@"[^su]s\z", RegexOptions.CultureInvariant)]
    private static partial Regex PluralSAtEnd();
}
