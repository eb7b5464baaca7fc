using Autotier.Domain.Classification;
using Autotier.Domain.Kb;
using Xunit;

namespace Autotier.UnitTests.Domain.Kb;

/// <summary>The TypeScript tests/unit/cli/kbFiles.test.ts, and the line numbers the C# errors add.</summary>
public sealed class KbMarkdownTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private const string Good = """
        ---
        id: vpn-forticlient
        client: demo
        category: vpn_remote_access
        title: Connecting with FortiClient
        tags: [vpn]
        variant: { vpnProduct: FortiClient }
        images: [step-2.png]
        ---
        Some words first.

        1. Open FortiClient.
        2) Sign in.

        """;

    [Fact]
    public void Front_matter_and_numbered_steps_are_read_and_formatted_back()
    {
        var (file, article, imageFiles) = KbMarkdown.Parse("/kb/vpn.md", Good, Now);
        Assert.Equal("/kb/vpn.md", file);

        Assert.Equal(["Open FortiClient.", "Sign in."], article.Steps);
        Assert.Equal(("demo", "vpn-forticlient", Categories.VpnRemoteAccess, "Connecting with FortiClient"), (article.ClientId, article.ArticleId, article.Category, article.Title));
        Assert.Equal(new KbVariant(VpnProduct: "FortiClient"), article.Variant);
        Assert.Equal(["demo/vpn-forticlient/step-2.png"], article.Images);
        Assert.Equal(["step-2.png"], imageFiles);
        Assert.Equal(["vpn"], article.Tags);
        Assert.Equal((0, 0, Now), (article.Uses, article.Successes, article.UpdatedAt));

        var again = KbMarkdown.Parse("/kb/vpn.md", KbMarkdown.Format(article), Now).Article;
        AssertSame(article, again);
    }

    [Fact]
    public void A_general_article_round_trips_with_its_star_and_counts_written_for_people()
    {
        var article = new KbArticle("outlook-crash", KbArticles.AllClients, Categories.SoftwareError, "Outlook: it crashes (again)",
            ["Hold Ctrl and open Outlook: choose \"Yes\".", "# not a heading, a step"], ["outlook", "yes", "123", "not responding"],
            ["_all/outlook-crash/a.png"], new KbVariant(PrinterModel: "HP LaserJet", Site: "Main Street"), 3, 2, Now);

        var text = KbMarkdown.Format(article);

        Assert.Contains("\nuses: 3\nsuccesses: 2\n---\n1. Hold Ctrl", text, StringComparison.Ordinal);
        Assert.StartsWith("---\nid: outlook-crash\n", text, StringComparison.Ordinal);
        var again = KbMarkdown.Parse("x.md", text, Now).Article;
        AssertSame(article with { Uses = 0, Successes = 0 }, again);
        Assert.Equal(["a.png"], KbMarkdown.Parse("x.md", text, Now).ImageFiles);
    }

    [Fact]
    public void Every_starter_article_in_kb_parses()
    {
        var dir = Path.Combine(Autotier.LocalHost.RepositoryRoot.Find(), "kb");
        var articles = Directory.GetFiles(dir, "*.md").Select(f => KbMarkdown.Parse(f, File.ReadAllText(f), Now).Article).ToList();

        Assert.Equal(["outlook-crash", "password-sspr", "printer-hp-m404", "vpn-forticlient"], articles.Select(a => a.ArticleId).Order(StringComparer.Ordinal));
        Assert.Equal(new KbVariant(PrinterModel: "HP LaserJet Pro M404"), articles.Single(a => a.ArticleId == "printer-hp-m404").Variant);
        Assert.Equal(KbArticles.AllClients, articles.Single(a => a.ArticleId == "password-sspr").ClientId);
    }

    public static TheoryData<string, string, string> Bad => new()
    {
        { "no front matter", "1. step", "/kb/x.md: no front matter" },
        { "a bad category", Good.Replace("vpn_remote_access", "fax", StringComparison.Ordinal), "/kb/x.md: line 4: category \"fax\" is not one of the autotier categories" },
        { "no steps", Good.Replace("1. Open FortiClient.\n2) Sign in.\n", "", StringComparison.Ordinal), "/kb/x.md: line 10: the article has no numbered steps" },
        { "a bad id", Good.Replace("id: vpn-forticlient", "id: Bad Id", StringComparison.Ordinal), "/kb/x.md: line 2: id must be lowercase letters, digits and hyphens" },
        { "no id", Good.Replace("id: vpn-forticlient\n", "", StringComparison.Ordinal), "/kb/x.md: line 1: id must be" },
        { "no title", Good.Replace("title: Connecting with FortiClient\n", "", StringComparison.Ordinal), "/kb/x.md: line 1: title is required" },
        { "broken YAML", Good.Replace("tags: [vpn]", "tags: [vpn", StringComparison.Ordinal), "/kb/x.md: line 7: front matter is not valid YAML" },
        { "a second colon in a plain value", Good.Replace("title: Connecting with FortiClient", "title: Connecting: with FortiClient", StringComparison.Ordinal), "/kb/x.md: line 5: front matter is not valid YAML" },
        { "tags that are not a list", Good.Replace("tags: [vpn]", "tags: vpn", StringComparison.Ordinal), "/kb/x.md: line 6: tags must be a list" },
        { "a misspelt variant field", Good.Replace("vpnProduct", "vpnproduct", StringComparison.Ordinal), "/kb/x.md: line 7: variant has no field \"vpnproduct\"" },
        { "a title that is a list", Good.Replace("title: Connecting with FortiClient", "title: [a, b]", StringComparison.Ordinal), "/kb/x.md: line 5: title must be a single value" },
        { "front matter that is not fields", "---\n- a\n- b\n---\n1. x\n", "/kb/x.md: line 2: front matter must be fields" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void A_bad_article_is_refused_naming_the_file_and_line(string why, string text, string error)
    {
        var e = Assert.Throws<KbFormatException>(() => KbMarkdown.Parse("/kb/x.md", text, Now));

        Assert.True(e.Message.StartsWith(error, StringComparison.Ordinal), $"{why}: {e.Message}");
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Windows_line_ends_and_a_byte_order_mark_are_read_as_well()
    {
        var article = KbMarkdown.Parse("x.md", "\uFEFF" + Good.Replace("\n", "\r\n", StringComparison.Ordinal), Now).Article;

        Assert.Equal(["Open FortiClient.", "Sign in."], article.Steps);
        Assert.Equal("vpn-forticlient", article.ArticleId);
    }

    private static void AssertSame(KbArticle expected, KbArticle actual)
    {
        // Lists compare by reference in records: compare them by content, the rest as the record.
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.Images, actual.Images);
        Assert.Equal(expected with { Steps = [], Tags = [], Images = [] }, actual with { Steps = [], Tags = [], Images = [] });
    }
}
