using System.Collections.Immutable;
using System.Text;

namespace Autotier.Domain.Classification;

/// <summary>
/// How text becomes features; a model stores the layout it was trained with.
/// </summary>
/// <param name="SkipWindow">Skip-grams pair each word with the words 2..SkipWindow after it; 0 for none (layout 2).</param>
/// <param name="SkipWeight">The skip-gram block's norm against 1 for the word and character blocks.</param>
public sealed record FeatureLayout(int SkipWindow, double SkipWeight);

/// <summary>
/// Bucket ids and how often each occurs in one text, index for index. Buckets are listed in the
/// order each was first counted, which is the order the TypeScript gives them in.
/// </summary>
public sealed record FeatureCounts(ImmutableArray<uint> Buckets, ImmutableArray<ushort> Counts);

/// <summary>
/// The text classifier's feature extraction, a port of src/domain/model/features.ts that gives the
/// same buckets, counts and order for the same text and layout, so a model trained by the
/// TypeScript predicts the same here. Blocks, as vectorisers side by side would give: word
/// unigrams and bigrams for meaning, character 2-5-grams of each word (with its edges marked) for
/// typos, inflections and other languages, and (layout 3) skip-grams: ordered pairs of words two
/// to <see cref="FeatureLayout.SkipWindow"/> words apart, for phrases whose words stand apart.
/// Character n-grams land in odd buckets; words in even ones (layout 2) or in multiples of four
/// with skip-grams in the other even buckets (layout 3), so each block can be normalised on its own.
/// </summary>
public static class Features
{
    /// <summary>The number of buckets a model has unless it says otherwise.</summary>
    public const int DefaultDims = 1 << 19;

    /// <summary>Skip-grams further apart than this would mostly pair unrelated words, at a cost per word.</summary>
    public const int MaxSkipWindow = 10;

    // Words past this many are ignored: a pasted log must not cost more than a message does.
    internal const int MaxWords = 1000;

    /// <summary>Version 2 models: words and characters only.</summary>
    public static readonly FeatureLayout LayoutV2 = new(0, 0);

    /// <summary>Chosen by cross-validation on the public corpus (README, "Classification").</summary>
    public static readonly FeatureLayout DefaultLayout = new(5, 1.4);

    internal const uint FnvOffset = 0x811c9dc5;
    internal const uint FnvPrime = 0x01000193;
    internal const uint Space = 32;

    // Seeds per block, so the same characters hash differently as a word, an n-gram or a skip-gram.
    internal static readonly uint Word = Fnv(FnvOffset, "w");
    internal static readonly uint Chars = Fnv(FnvOffset, "c");
    internal static readonly uint Skip = Fnv(FnvOffset, "s");

    /// <summary>Whether a layout (from a model file, say) is one <see cref="Count"/> can use safely.</summary>
    public static bool IsValidLayout(FeatureLayout? layout) =>
        layout is not null
        && layout.SkipWindow is >= 0 and <= MaxSkipWindow
        && double.IsFinite(layout.SkipWeight)
        && layout.SkipWeight >= 0;

    /// <summary>A bucket's block: 0 words, 1 characters, 2 skip-grams (layout 3 only).</summary>
    public static int BlockOf(uint bucket, FeatureLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if ((bucket & 1) != 0) return 1;
        return layout.SkipWindow > 0 && (bucket & 2) != 0 ? 2 : 0;
    }

    /// <summary>
    /// The hashed features of one text (featureCounts in the TypeScript), with
    /// <see cref="DefaultLayout"/> unless a layout is given. <paramref name="dims"/> must be a
    /// power of two: buckets are picked by masking, not by remainder.
    /// </summary>
    public static FeatureCounts Count(string text, int dims, FeatureLayout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        // The TS trusts its callers here; refusing beats silently hashing into the wrong buckets.
        if (dims <= 0 || (dims & (dims - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(dims), dims, "The number of buckets must be a power of two.");
        layout ??= DefaultLayout;
        if (!IsValidLayout(layout))
            throw new ArgumentException("The feature layout is not valid.", nameof(layout));

        var counter = FeatureCounter.ForThisThread;
        counter.Count(text, dims, layout);
        return new FeatureCounts([.. counter.Buckets.AsSpan(0, counter.Length)], [.. counter.Counts.AsSpan(0, counter.Length)]);
    }

    // FNV-1a over UTF-16 code units, continued from h; unchecked as Math.imul wraps.
    internal static uint Fnv(uint h, string s)
    {
        foreach (var c in s) h = unchecked((h ^ c) * FnvPrime);
        return h;
    }

    // Murmur3's finaliser: every input bit reaches the low bits that pick a bucket.
    internal static uint Mix(uint h)
    {
        h ^= h >> 16;
        h = unchecked(h * 0x85ebca6b);
        h ^= h >> 13;
        h = unchecked(h * 0xc2b2ae35);
        return h ^ (h >> 16);
    }

    /// <summary>
    /// text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().
    /// Not <c>TextRules.FoldText</c>: that drops every mark, spells ß as "ss" and keeps letters
    /// outside ASCII, which would move buckets a trained model depends on.
    /// </summary>
    internal static string Normalize(string text)
    {
        // .NET refuses to normalise a lone surrogate where JS passes it through; either way it
        // ends as a separator, and NFKD neither composes nor reorders across it, so a space in
        // its place changes nothing else.
        var decomposed = WithoutLoneSurrogates(text).Normalize(NormalizationForm.FormKD);
        var result = new StringBuilder(decomposed.Length);
        var gap = false;
        foreach (var c in decomposed)
        {
            // Combining diacritics go before anything else, so "café" stays one word.
            if (c is >= '\u0300' and <= '\u036f') continue;
            // After NFKD the only characters toLowerCase brings into a-z are A-Z (the Kelvin sign
            // and dotted capital I have already decomposed to ASCII letters and a mark).
            var lower = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                if (gap && result.Length > 0) result.Append(' ');
                gap = false;
                result.Append(lower);
            }
            else
            {
                gap = true;
            }
        }
        return result.ToString();
    }

    private static string WithoutLoneSurrogates(string text)
    {
        char[]? chars = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                chars ??= text.ToCharArray();
                chars[i] = ' ';
            }
        }
        return chars is null ? text : new string(chars);
    }
}
