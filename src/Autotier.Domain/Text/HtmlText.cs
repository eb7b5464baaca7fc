using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Autotier.Domain.Text;

/// <summary>
/// An HTML ticket body (a portal's rich text, a PSA's description, a webhook) as the plain text
/// <see cref="TicketText.Clean(string)"/> reads: block elements become line breaks, and quoted
/// history (a &lt;blockquote&gt;, Gmail's and Outlook's reply containers) becomes "&gt;" lines, so the
/// same clean-up removes it whatever the channel. Parsing is AngleSharp's HTML5 parser (regexes do
/// not parse HTML); the walk over its tree is ours because no library maps quote containers to
/// mail-style quoting.
/// </summary>
public static partial class HtmlText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "hr", "section", "article", "header", "footer",
    };

    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "script", "style", "head", "title", "template", "noscript" };

    [GeneratedRegex(@"<\s*(html|body|p|div|br|span|table|blockquote|a\s|b|i|strong|em|ul|ol|li|font|meta|!doctype)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex HtmlTag { get; }

    [GeneratedRegex(@"[ \t\u00a0]+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces { get; }

    [GeneratedRegex(@"\n[ \t]*\n([ \t]*\n)+", RegexOptions.CultureInvariant)]
    private static partial Regex BlankRuns { get; }

    /// <summary>Whether a body is HTML rather than text that happens to hold a "&lt;".</summary>
    public static bool LooksLikeHtml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('<', StringComparison.Ordinal) && HtmlTag.IsMatch(text);
    }

    /// <summary>The text of an HTML document or fragment, quoted history as "&gt;" lines.</summary>
    public static string ToText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var document = new HtmlParser().ParseDocument(html);
        var text = new StringBuilder();
        Walk(document.Body ?? (INode)document.DocumentElement, text);
        var lines = text.ToString().Split('\n').Select(l => Spaces.Replace(l, " ").TrimEnd());
        return BlankRuns.Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    private static void Walk(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText t)
            {
                text.Append(t.Data.Replace('\n', ' ').Replace('\r', ' '));
                continue;
            }
            if (child is not IElement e || Skipped.Contains(e.LocalName)) continue;
            if (IsQuote(e))
            {
                var inner = new StringBuilder();
                Walk(e, inner);
                text.Append('\n');
                foreach (var line in inner.ToString().Split('\n'))
                    if (line.Trim().Length > 0) text.Append("> ").Append(line.Trim()).Append('\n');
                continue;
            }
            var block = Blocks.Contains(e.LocalName);
            if (block) text.Append('\n');
            Walk(e, text);
            if (block) text.Append('\n');
        }
    }

    // Quoted history: <blockquote>, Gmail's "gmail_quote", Apple Mail's type="cite". Outlook's
    // reply header (divRplyFwdMsg) stays text: its From/Sent/To block is what TicketText cuts at.
    private static bool IsQuote(IElement e) =>
        e.LocalName == "blockquote"
        || e.ClassList.Contains("gmail_quote")
        || e.GetAttribute("type") == "cite";
}
