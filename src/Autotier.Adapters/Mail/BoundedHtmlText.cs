using System.Diagnostics;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Autotier.Adapters.Mail;

/// <summary>
/// The limits of turning a mail's HTML into text. A 5.8 MB HTML table once froze every route of the
/// TypeScript app for four minutes, and a 1.1 MB nest of divs stalled it for 18 s: whatever the HTML,
/// the work here is bounded, and what does not fit is cut with a note (the whole mail stays in Blob).
/// </summary>
/// <param name="MaxHtmlChars">HTML read at most; the rest is left out.</param>
/// <param name="MaxTags">Tags read at most (the parser's work grows with them).</param>
/// <param name="MaxDepth">Nesting read at most: deeper content is left out (the parser's scope checks walk the open elements).</param>
/// <param name="MaxTime">Time for parsing, sanitizing and the walk together.</param>
/// <param name="MaxTextChars">Text produced at most.</param>
public sealed record HtmlLimits(int MaxHtmlChars, int MaxTags, int MaxDepth, TimeSpan MaxTime, int MaxTextChars)
{
    public static HtmlLimits Default { get; } = new(512 * 1024, 20_000, 200, TimeSpan.FromSeconds(2), 100_000);
}

/// <summary>
/// A mail's HTML as plain text, within <see cref="HtmlLimits"/>: scripts, styles and images gone
/// (HtmlSanitizer, as the TypeScript app's sanitize-html), links only http(s) and mailto, block
/// elements as line breaks and quoted history (&lt;blockquote&gt;, Gmail's and Apple Mail's
/// containers) as "&gt;" lines, so the one text clean-up cuts it as in every other channel.
/// </summary>
public static class BoundedHtmlText
{
    /// <summary>Said where the text was cut.</summary>
    public const string CutNote = "[autotier: the rest of this mail's HTML was too large or too deeply nested to read; the text stops here. The whole mail is kept.]";

    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "hr", "section", "article", "header", "footer",
    };

    private static readonly string[] Dropped = ["script", "style", "head", "title", "template", "noscript", "textarea", "option", "img", "svg", "math", "iframe", "object"];

    private static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param", "keygen",
    };

    public static (string Text, bool Cut) ToText(string html, HtmlLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(limits);
        var clock = Stopwatch.StartNew();
        var cut = false;
        if (html.Length > limits.MaxHtmlChars)
        {
            html = html[..limits.MaxHtmlChars];
            cut = true;
        }
        var end = BoundedPrefix(html, limits);
        if (end < html.Length)
        {
            html = html[..end];
            cut = true;
        }

        IHtmlDocument document;
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            budget.CancelAfter(limits.MaxTime);
            try
            {
                document = new HtmlParser().ParseDocumentAsync(html, budget.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Out of time: the tags stripped by a linear scan, so the ticket still has words.
                return (Finish(StripTags(html, limits.MaxTextChars), true), true);
            }
        }
        using (document)
        {
            foreach (var name in Dropped)
                foreach (var e in document.QuerySelectorAll(name).ToList()) e.Remove();
            Sanitizer().SanitizeDom(document);
            var text = new StringBuilder();
            var visited = 0;
            var complete = Walk(document.Body ?? (INode)document.DocumentElement, text, 0, limits, clock, ref visited);
            return (Finish(Normalise(text.ToString()), cut || !complete), cut || !complete);
        }
    }

    private static HtmlSanitizer Sanitizer()
    {
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true };
        sanitizer.AllowedTags.Remove("img");
        sanitizer.AllowedAttributes.Clear();
        // class and type say what is quoted history (gmail_quote, type="cite"); href and title are a link's.
        foreach (var a in new[] { "href", "title", "colspan", "rowspan", "class", "type" }) sanitizer.AllowedAttributes.Add(a);
        sanitizer.AllowedSchemes.Clear();
        foreach (var s in new[] { "http", "https", "mailto" }) sanitizer.AllowedSchemes.Add(s);
        return sanitizer;
    }

    /// <summary>
    /// How much of the HTML to parse: up to <c>MaxTags</c> tags and a nesting of <c>MaxDepth</c>, by a
    /// linear scan that follows open and close tags as the parser would (a close tag closes the
    /// nearest open element of its name; one that closes nothing changes nothing).
    /// </summary>
    private static int BoundedPrefix(string html, HtmlLimits limits)
    {
        var open = new List<string>();
        var tags = 0;
        for (var i = html.IndexOf('<', StringComparison.Ordinal); i >= 0 && i < html.Length; i = html.IndexOf('<', i + 1))
        {
            var closing = i + 1 < html.Length && html[i + 1] == '/';
            var start = closing ? i + 2 : i + 1;
            var j = start;
            while (j < html.Length && j - start < 32 && (char.IsAsciiLetterOrDigit(html[j]) || html[j] is ':' or '-')) j++;
            if (j == start || !char.IsAsciiLetter(html[start])) continue;
            if (++tags > limits.MaxTags) return i;
            var name = html[start..j].ToLowerInvariant();
            if (closing)
            {
                var at = open.LastIndexOf(name);
                if (at >= 0) open.RemoveRange(at, open.Count - at);
                continue;
            }
            var gt = html.IndexOf('>', j);
            var selfClosing = gt > 0 && html[gt - 1] == '/';
            if (Void.Contains(name) || selfClosing) continue;
            open.Add(name);
            if (open.Count > limits.MaxDepth) return i;
        }
        return html.Length;
    }

    private static bool Walk(INode node, StringBuilder text, int depth, HtmlLimits limits, Stopwatch clock, ref int visited)
    {
        if (depth > limits.MaxDepth * 2) return false;
        foreach (var child in node.ChildNodes)
        {
            if (++visited % 512 == 0 && clock.Elapsed > limits.MaxTime) return false;
            if (text.Length > limits.MaxTextChars) return false;
            if (child is IText t)
            {
                text.Append(t.Data.Replace('\n', ' ').Replace('\r', ' '));
                continue;
            }
            if (child is not IElement e) continue;
            if (IsQuote(e))
            {
                var inner = new StringBuilder();
                var done = Walk(e, inner, depth + 1, limits, clock, ref visited);
                text.Append('\n');
                foreach (var line in inner.ToString().Split('\n'))
                    if (line.Trim().Length > 0) text.Append("> ").Append(line.Trim()).Append('\n');
                if (!done) return false;
                continue;
            }
            var block = Blocks.Contains(e.LocalName);
            if (block) text.Append('\n');
            if (!Walk(e, text, depth + 1, limits, clock, ref visited)) return false;
            if (block) text.Append('\n');
        }
        return true;
    }

    private static bool IsQuote(IElement e) =>
        e.LocalName == "blockquote" || e.ClassList.Contains("gmail_quote") || e.GetAttribute("type") == "cite";

    private static string Normalise(string text)
    {
        var lines = text.Split('\n').Select(l => CollapseSpaces(l).TrimEnd());
        var output = new StringBuilder(text.Length);
        var blanks = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                if (++blanks > 1) continue;
            }
            else blanks = 0;
            output.Append(line).Append('\n');
        }
        return output.ToString().Trim();
    }

    private static string CollapseSpaces(string line)
    {
        var b = new StringBuilder(line.Length);
        var space = false;
        foreach (var c in line)
        {
            if (c is ' ' or '\t' or '\u00a0')
            {
                if (!space) b.Append(' ');
                space = true;
                continue;
            }
            space = false;
            b.Append(c);
        }
        return b.ToString();
    }

    private static string Finish(string text, bool cut)
    {
        if (!cut) return text;
        return (text.Length > 0 ? text + "\n\n" : "") + CutNote;
    }

    /// <summary>Text between tags, by one linear pass (the fallback when parsing ran out of time).</summary>
    private static string StripTags(string html, int max)
    {
        var b = new StringBuilder();
        var inTag = false;
        foreach (var c in html)
        {
            if (b.Length >= max) break;
            if (c == '<') inTag = true;
            else if (c == '>') { inTag = false; b.Append(' '); }
            else if (!inTag) b.Append(c);
        }
        return CollapseSpaces(b.ToString().Replace('\r', ' ').Replace('\n', ' ')).Trim();
    }
}
