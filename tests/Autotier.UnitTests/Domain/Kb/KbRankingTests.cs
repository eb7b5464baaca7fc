using Autotier.Application.Kb;
using Autotier.Domain.Classification;
using Autotier.Domain.Kb;
using Xunit;
using static Autotier.UnitTests.Domain.Kb.KbFixtures;

namespace Autotier.UnitTests.Domain.Kb;

/// <summary>The TypeScript tests/unit/domain/kb.test.ts, on the Lucene index.</summary>
public sealed class KbRankingTests
{
    private static KbArticle? Best(KbArticle[] articles, string category, string text, string? site = null) =>
        KbIndex.Build(articles).Best(category, Demo, text, site);

    [Fact]
    public void The_clients_own_article_for_its_own_VPN_product_comes_first_and_another_products_never_fits()
    {
        var general = Article("vpn-general", title: "Connecting to the VPN");
        var mine = Article("vpn-forti", "demo", title: "FortiClient", variant: new KbVariant(VpnProduct: "FortiClient"));
        var other = Article("vpn-gp", "demo", title: "GlobalProtect", variant: new KbVariant(VpnProduct: "GlobalProtect"));

        Assert.Equal("vpn-forti", Best([general, other, mine], Categories.VpnRemoteAccess, "vpn will not connect")?.ArticleId);
        Assert.Equal("vpn-general", Best([general, other], Categories.VpnRemoteAccess, "vpn will not connect")?.ArticleId);
    }

    [Fact]
    public void Another_clients_article_or_another_categorys_is_never_used()
    {
        var theirs = Article("x", "globex");
        var printer = Article("p", category: Categories.PrinterPeripheral);

        Assert.Null(Best([theirs, printer], Categories.VpnRemoteAccess, "vpn"));
    }

    [Fact]
    public void Relevance_to_the_ticket_ranks_first_then_the_success_rate()
    {
        var outlook = Article("outlook", category: Categories.SoftwareError, title: "Outlook keeps crashing", steps: ["Start Outlook in safe mode"]);
        var excel = Article("excel", category: Categories.SoftwareError, title: "Excel will not open", steps: ["Repair Office"]);
        Assert.Equal("outlook", Best([excel, outlook], Categories.SoftwareError, "outlook crashes on start")?.ArticleId);

        var proven = Article("proven", category: Categories.SoftwareError, title: "Fix app errors", uses: 20, successes: 19);
        var unproven = Article("unproven", category: Categories.SoftwareError, title: "Fix app errors", uses: 20, successes: 2);
        Assert.Equal("proven", Best([unproven, proven], Categories.SoftwareError, "something else")?.ArticleId);
    }

    [Fact]
    public void Relevance_is_weighed_against_the_best_candidate_not_an_article_of_another_category()
    {
        var own = Article("own", "demo");
        var general = Article("general");
        var printer = Article("printer", category: Categories.PrinterPeripheral);
        var relevance = new Dictionary<string, double> { [own.Key] = 2, [general.Key] = 5, [printer.Key] = 40 };

        // own: 2/5 + 0.5 + 0.5 = 1.4; general: 5/5 + 0.5 = 1.5 (against 40, own would win 1.05 to 0.625).
        Assert.Equal("general", KbRanking.Best([own, general], relevance, "demo")?.ArticleId);
        // Below 1, relevance is not scaled up: own 0.42 + 1 = 1.42 beats general 0.9 + 0.5 = 1.4
        // (scaled by 0.9, general would win: 0.47 + 1 against 1.5).
        Assert.Equal("own", KbRanking.Best([own, general], new Dictionary<string, double> { [own.Key] = 0.42, [general.Key] = 0.9 }, "demo")?.ArticleId);
    }

    [Fact]
    public void A_new_article_starts_at_one_half_and_earns_its_rate()
    {
        Assert.Equal(0.5, Article().SuccessRate);
        Assert.Equal(20.0 / 22, Article(uses: 20, successes: 19).SuccessRate, 12);
        Assert.Equal(1.0 / 12, Article(uses: 10, successes: 0).SuccessRate, 12);
    }

    [Fact]
    public void A_printer_article_fits_the_printer_at_the_requesters_site_or_any_of_the_clients_when_the_site_is_unknown()
    {
        var hp = Article("hp", "demo", Categories.PrinterPeripheral, "HP printer", variant: new KbVariant(PrinterModel: "HP LaserJet Pro M404"));
        var brother = Article("brother", "demo", Categories.PrinterPeripheral, "Brother printer", variant: new KbVariant(PrinterModel: "brother hl-l2350dw"));
        var canon = Article("canon", "demo", Categories.PrinterPeripheral, "Canon printer", variant: new KbVariant(PrinterModel: "Canon"));

        Assert.True(KbRanking.VariantFits(hp, Demo, "Main Street"));
        Assert.False(KbRanking.VariantFits(brother, Demo, "Main Street"));
        Assert.True(KbRanking.VariantFits(brother, Demo, "Harbour"), "a site the profile does not list: any printer the client has");
        Assert.True(KbRanking.VariantFits(brother, Demo, null), "no site: any printer the client has");
        Assert.False(KbRanking.VariantFits(canon, Demo, null));
        Assert.Equal("brother", Best([hp, brother, canon], Categories.PrinterPeripheral, "printer offline", "Riverside")?.ArticleId);
    }

    [Fact]
    public void An_article_for_one_site_never_goes_to_a_requester_at_another()
    {
        var mainStreet = Article("ms", "demo", title: "VPN at Main Street", variant: new KbVariant(Site: "Main Street"));

        Assert.True(KbRanking.VariantFits(mainStreet, Demo, "main street"));
        Assert.False(KbRanking.VariantFits(mainStreet, Demo, "Riverside"));
        Assert.True(KbRanking.VariantFits(mainStreet, Demo, null), "an unknown site does not rule it out");
    }
}
