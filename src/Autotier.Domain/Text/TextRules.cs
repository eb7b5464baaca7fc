using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Autotier.Domain.Text;

/// <summary>Rules for text that ends up in one-line places (mail headers, pages, logs) and for matching words.</summary>
public static partial class TextRules
{
    // C0 and C1 controls (tab, CR and LF included), the Unicode line and paragraph separators, and the
    // bidirectional embeddings, overrides and isolates: CR/LF in a mail header injects headers, and in
    // pages and logs control characters and direction overrides disguise text.
    private const string UnsafeClass = @"[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]";

    /// <summary>Matches any character that must never sit in a single-line field (a subject, a name).</summary>
    [GeneratedRegex(UnsafeClass, RegexOptions.CultureInvariant)]
    public static partial Regex UnsafeInOneLine { get; }

    [GeneratedRegex(UnsafeClass + "+", RegexOptions.CultureInvariant)]
    private static partial Regex UnsafeRuns { get; }

    [GeneratedRegex(" {2,}", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceRuns { get; }

    /// <summary>For text that cannot be refused (from a PSA or a mail): each run of unsafe characters becomes one space.</summary>
    public static string SingleLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return JsText.Trim(SpaceRuns.Replace(UnsafeRuns.Replace(text, " "), " "));
    }

    /// <summary>
    /// Lower case, accents and ligatures folded to ASCII, typographic apostrophes made plain: one
    /// spelling per word, so "ça", "Ça" and "ca" are the same and patterns stay ASCII.
    /// </summary>
    public static string FoldText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var folded = new StringBuilder(decomposed.Length);
        // Marks are dropped per code point (not per UTF-16 unit) as the TS /\p{M}/u does, so marks
        // outside the BMP go too and surrogate pairs are never split.
        foreach (var rune in decomposed.EnumerateRunes())
        {
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.NonSpacingMark:
                case UnicodeCategory.SpacingCombiningMark:
                case UnicodeCategory.EnclosingMark:
                    continue;
                default:
                    // The replacements run before lower-casing, in the TS order, so "ẞ" still ends as "ß".
                    switch (rune.Value)
                    {
                        case 'ß': folded.Append("ss"); break;
                        case 'œ' or 'Œ': folded.Append("oe"); break;
                        case '\u2018' or '\u2019' or '\u02bc' or '`': folded.Append('\''); break;
                        default: folded.Append(rune.ToString()); break;
                    }
                    break;
            }
        }
        return ToLowerAsJavaScript(folded.ToString());
    }

    /// <summary>
    /// String.prototype.toLowerCase. It differs from <see cref="string.ToLowerInvariant"/> in one
    /// context rule that survives folding: a capital sigma that ends a word becomes final sigma (ς).
    /// </summary>
    private static string ToLowerAsJavaScript(string text)
    {
        var lower = text.ToLowerInvariant();
        if (!text.Contains('Σ', StringComparison.Ordinal)) return lower;
        var chars = lower.ToCharArray();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == 'Σ' && IsFinalSigma(text, i)) chars[i] = 'ς';
        }
        return new string(chars);
    }

    // Unicode's Final_Sigma condition: a cased letter before (case-ignorable characters skipped) and
    // none after.
    private static bool IsFinalSigma(string text, int at)
    {
        var before = at - 1;
        while (before >= 0 && IsCaseIgnorable(text[before])) before--;
        if (before < 0 || !IsCased(text[before])) return false;
        var after = at + 1;
        while (after < text.Length && IsCaseIgnorable(text[after])) after++;
        return after == text.Length || !IsCased(text[after]);
    }

    private static bool IsCased(char c) => char.GetUnicodeCategory(c)
        is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    // Marks, format characters, modifiers, and the apostrophes and word-inner punctuation of Unicode's
    // Case_Ignorable property (Word_Break MidLetter, MidNumLet and Single_Quote).
    private static bool IsCaseIgnorable(char c) =>
        char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || c is '\'' or '.' or ':' or '\u00b7' or '\u0387' or '\u055f' or '\u05f4' or '\u2018' or '\u2019'
            or '\u2024' or '\u2027' or '\ufe13' or '\ufe52' or '\ufe55' or '\uff07' or '\uff0e' or '\uff1a';
}
