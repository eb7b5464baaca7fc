using System.Diagnostics;
using System.Text;
using Autotier.Adapters.Mail;
using Autotier.TestSupport.Mail;
using Xunit;
using Xunit.Abstractions;

namespace Autotier.UnitTests.Mail;

/// <summary>
/// Issue #33, fix 2: a 5.8 MB HTML table froze every route of the TypeScript app for over four
/// minutes and a 1.1 MB nest of divs stalled it 18 s. Here both are read within the limits (cut with
/// a note), in bounded time, and the text still says what the mail said first.
/// </summary>
public sealed class BoundedHtmlTextTests(ITestOutputHelper output)
{
    /// <summary>The limit is 2 s of work; the rest is slack for a loaded 2-core machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact(Timeout = 30_000)]
    public async Task AFiveMegabyteTableIsCutToBoundedTextWithANoteInBoundedTime()
    {
        await Task.Yield();
        var html = PathologicalHtml.HugeTable(5_800_000);
        var clock = Stopwatch.StartNew();
        var (text, cut) = BoundedHtmlText.ToText(html, HtmlLimits.Default, CancellationToken.None);
        output.WriteLine($"5.8 MB table: {clock.ElapsedMilliseconds} ms, {text.Length} characters of text");
        Assert.True(clock.Elapsed < Bound, $"{clock.Elapsed}");
        Assert.True(cut);
        Assert.StartsWith("The printer in room 4 is jammed", text, StringComparison.Ordinal);
        Assert.EndsWith(BoundedHtmlText.CutNote, text, StringComparison.Ordinal);
        Assert.True(text.Length <= HtmlLimits.Default.MaxTextChars + 1000, $"{text.Length}");
    }

    [Fact(Timeout = 30_000)]
    public async Task AMegabyteNestOfDivsIsCutWithoutDeepRecursionInBoundedTime()
    {
        await Task.Yield();
        var html = PathologicalHtml.DivNest(1_100_000);
        var clock = Stopwatch.StartNew();
        var (text, cut) = BoundedHtmlText.ToText(html, HtmlLimits.Default, CancellationToken.None);
        output.WriteLine($"1.1 MB of nested divs: {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < Bound, $"{clock.Elapsed}");
        Assert.True(cut);
        Assert.StartsWith("VPN drops every hour.", text, StringComparison.Ordinal);
        Assert.EndsWith(BoundedHtmlText.CutNote, text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task CloseTagsThatCloseNothingDoNotHideTheDepth()
    {
        await Task.Yield();
        var html = "<p>start</p>" + string.Concat(Enumerable.Repeat("<div></span>", 100_000)) + "end";
        var clock = Stopwatch.StartNew();
        var (text, cut) = BoundedHtmlText.ToText(html, HtmlLimits.Default, CancellationToken.None);
        Assert.True(clock.Elapsed < Bound, $"{clock.Elapsed}");
        Assert.True(cut);
        Assert.StartsWith("start", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheTimeLimitCutsTheWalkWithANote()
    {
        await Task.Yield();
        var (text, cut) = BoundedHtmlText.ToText(PathologicalHtml.HugeTable(400_000), HtmlLimits.Default with { MaxTime = TimeSpan.Zero }, CancellationToken.None);
        Assert.True(cut);
        Assert.EndsWith(BoundedHtmlText.CutNote, text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task OrdinaryHtmlIsReadWholeWithQuotesAsQuotedLinesAndNoScript()
    {
        await Task.Yield();
        var (text, cut) = BoundedHtmlText.ToText(
            "<html><head><style>p{color:red}</style></head><body><p>Still broken.</p><script>alert(1)</script><img src=\"https://tracker.example/p.gif\">"
            + "<div class=\"gmail_quote\">On Mon, IT wrote:<blockquote>Did this resolve your issue?</blockquote></div></body></html>",
            HtmlLimits.Default, CancellationToken.None);
        Assert.False(cut);
        Assert.StartsWith("Still broken.", text, StringComparison.Ordinal);
        Assert.Contains("> Did this resolve your issue?", text, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", text, StringComparison.Ordinal);
        Assert.DoesNotContain("color", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tracker", text, StringComparison.Ordinal);
    }
}
