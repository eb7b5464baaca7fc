using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Autotier.Domain.Assistant;

/// <summary>
/// Makes text a model wrote fit to stand in an escalation package and a PSA note: one line of plain
/// text, bounded. PSAs render notes as HTML or Markdown and autolink what looks like an address, so
/// everything that could render as something other than the words is taken out: HTML tags and
/// entities, Markdown links, images, emphasis, headings, list and quote markers, code, tables, rule
/// lines, URLs of any scheme (replaced by "(link removed)"), host names (defanged, "example[.]com", as
/// security write-ups do, so no autolinker makes them clickable), control and invisible characters,
/// and autotier's own note marker (a forged "[autotier T-1 key]" could make a write-back think its
/// note was already written). Line breaks become spaces, so model text cannot forge lines of the note.
/// </summary>
/// <remarks>
/// Written by hand: HtmlSanitizer (the library the design names for mail bodies) keeps safe HTML
/// rather than producing plain text, and nothing on the feed turns Markdown into plain text; the
/// rules here are few and each is tested with an attack string.
/// </remarks>
public static partial class PlainText
{
    public const string LinkRemoved = "(link removed)";

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>Placeholders the prompt uses, said in words before angle brackets are removed.</summary>
    private static readonly (string Placeholder, string Words)[] Placeholders =
    [
        ("<requester>", "the requester"),
        ("<person>", "a person"),
        ("<address>", "an address"),
    ];

    [GeneratedRegex(@"<participant-([0-9]{1,3})>", Options)]
    private static partial Regex Participant { get; }

    [GeneratedRegex(@"!?\[([^\[\]]*)\]\([^()]*\)|!?\[([^\[\]]*)\]\[[^\[\]]*\]", Options)]
    private static partial Regex MarkdownLink { get; }

    [GeneratedRegex(@"<!--.*?-->|<\s*(script|style)\b.*?<\s*/\s*\1\s*>", Options | RegexOptions.Singleline)]
    private static partial Regex HtmlBlock { get; }

    [GeneratedRegex(@"</?[A-Za-z!?/][^<>]*>", Options)]
    private static partial Regex HtmlTag { get; }

    [GeneratedRegex(@"\b(?:https?|s?ftps?|file|mailto|javascript|jscript|vbscript|livescript|data|blob|about|chrome|tel|callto|sms|sips?|ssh|telnet|smb|rdp|vnc|ldaps?|skype|msteams|teams|zoommtg|slack|onenote|ms-[a-z-]+|steam|itms|market|intent|wss?|git|svn|news|nntp|irc|magnet|webcal):\S+|\bwww\.\S+", Options)]
    private static partial Regex Url { get; }

    [GeneratedRegex(@"(?<=[\p{L}\p{N}-])\.(?=(?:[\p{L}\p{N}-]+\.)*(?:com|net|org|info|biz|io|co|ai|app|dev|cloud|online|site|xyz|top|link|click|zip|mov|me|ly|gl|gd|to|be|ms|sh|us|uk|eu|de|nl|fr|es|it|ch|at|ru|cn|tk|ml|ga|cf|gq)\b)", Options)]
    private static partial Regex HostDot { get; }

    [GeneratedRegex(@"\[\s*(autotier\b[^\[\]]*)\]?", Options)]
    private static partial Regex NoteMarker { get; }

    /// <summary>Markdown and table syntax that never carries meaning in a sentence.</summary>
    [GeneratedRegex(@"[`*~|]+|(?:^|\s)(?:#{1,6}|>+|[-+=_]{3,})(?=\s|$)", Options)]
    private static partial Regex MarkdownSyntax { get; }

    /// <summary>A list marker at the start ("1. ", "- ", "* "): the note numbers the steps itself.</summary>
    [GeneratedRegex(@"^(?:[0-9]{1,2}[.)]|[-+•])\s+", Options)]
    private static partial Regex ListMarker { get; }

    [GeneratedRegex(@"\s+", Options)]
    private static partial Regex Spaces { get; }

    /// <summary>The text as one bounded line of plain words; empty when nothing is left.</summary>
    public static string Clean(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var s = PromptInjection.Fold(text);
        // Entities are decoded until nothing changes (twice-encoded "&amp;lt;script&amp;gt;" too), so
        // a tag written as entities is removed like any other rather than rendered by a PSA.
        for (var i = 0; i < 3; i++)
        {
            var decoded = WebUtility.HtmlDecode(s);
            if (decoded == s) break;
            s = decoded;
        }
        s = PromptInjection.Fold(s);
        foreach (var (placeholder, words) in Placeholders)
            s = s.Replace(placeholder, words, StringComparison.OrdinalIgnoreCase);
        s = Participant.Replace(s, "participant $1");
        s = MarkdownLink.Replace(s, m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
        s = HtmlBlock.Replace(s, " ");
        s = HtmlTag.Replace(s, " ");
        s = s.Replace('<', ' ').Replace('>', ' ');
        s = Url.Replace(s, LinkRemoved);
        s = HostDot.Replace(s, "[.]");
        s = NoteMarker.Replace(s, "($1)");
        s = Spaces.Replace(s, " ");
        s = MarkdownSyntax.Replace(s, " ");
        s = Spaces.Replace(s, " ").Trim();
        s = ListMarker.Replace(s, "");
        return Bound(s, maxLength);
    }

    /// <summary>Cut at a word boundary when there is one near the end, marked with an ellipsis.</summary>
    private static string Bound(string s, int maxLength)
    {
        if (s.Length <= maxLength) return s;
        var cut = s[..(maxLength - 1)];
        var space = cut.LastIndexOf(' ');
        if (space > maxLength * 3 / 4) cut = cut[..space];
        // Never leave half a surrogate pair at the end.
        if (cut.Length > 0 && char.IsHighSurrogate(cut[^1])) cut = cut[..^1];
        return cut.TrimEnd() + "…";
    }

    /// <summary>The text inside double quotes, its own double quotes turned into single ones.</summary>
    public static string Quoted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var inner = new StringBuilder(text.Length);
        foreach (var c in text)
            inner.Append(c is '"' or '“' or '”' or '„' or '«' or '»' ? '\'' : c);
        return string.Create(CultureInfo.InvariantCulture, $"\"{inner}\"");
    }
}
