using Autotier.Application.Kb;
using Autotier.Domain.Classification;
using Autotier.Domain.Kb;
using Xunit;
using static Autotier.UnitTests.Domain.Kb.KbFixtures;

namespace Autotier.UnitTests.Domain.Kb;

public sealed class KnownErrorTests
{
    private static readonly KbArticle OutlookCrash = Article(
        "outlook-crash", category: Categories.SoftwareError, title: "When Outlook keeps crashing",
        tags: ["outlook", "crash", "not responding", "error"]);

    private static readonly KbArticle GenericOnly = Article(
        "restart", category: Categories.SoftwareError, title: "Restart the app", tags: ["error", "crash", "not working", "Bug"]);

    [Theory]
    [InlineData("Outlook crashes every morning", true)]
    [InlineData("OUTLOOK\tfroze", true)]
    [InlineData("Teams is not responding since the update", true)] // a specific tag of two words
    [InlineData("Sage crash: error 0x80070005", false)] // only the general tags appear
    [InlineData("outlooks are grim", false)] // whole words only
    [InlineData("my-outlook-profile is broken", true)] // hyphens are not letters
    public void A_known_error_article_matches_when_one_of_its_specific_tags_is_in_the_ticket(string ticket, bool matches) =>
        Assert.Equal(matches, KbRanking.MatchesKnownError(OutlookCrash, ticket));

    [Theory]
    [InlineData("error crash not working bug")]
    [InlineData("The app keeps crashing with an error")]
    public void General_tags_such_as_error_or_crash_never_match_on_their_own(string ticket) =>
        Assert.False(KbRanking.MatchesKnownError(GenericOnly, ticket));

    [Fact]
    public void A_software_error_gets_only_a_documented_fix_for_the_error_it_names()
    {
        var sage = Article("sage-export", "demo", Categories.SoftwareError, "Sage payroll export fails", tags: ["sage", "0x80070005"], uses: 0);
        var index = KbIndex.Build([GenericOnly, OutlookCrash, sage]);

        Assert.Equal("sage-export", index.KnownError(Demo, "Payroll export error 0x80070005 in the accounts app")?.ArticleId);
        Assert.Equal("outlook-crash", index.KnownError(Demo, "Outlook crash on start")?.ArticleId);
        // Articles are relevant by words (crash, error), but none documents this particular error.
        Assert.NotNull(index.Best(Categories.SoftwareError, Demo, "Excel crash, some error"));
        Assert.Null(index.KnownError(Demo, "Excel crash, some error"));
    }
}
