using Autotier.Application.Kb;
using Autotier.Domain.Classification;
using Autotier.Domain.Kb;
using Xunit;
using static Autotier.UnitTests.Domain.Kb.KbFixtures;

namespace Autotier.UnitTests.Application.Kb;

public sealed class KbIndexTests
{
    private static readonly KbArticle Outlook = Article("outlook", category: Categories.SoftwareError, title: "Outlook keeps crashing",
        steps: ["Start Outlook in safe mode", "Turn off the add-ins"], tags: ["outlook", "crash"]);
    private static readonly KbArticle Calendar = Article("calendar", category: Categories.SoftwareError, title: "Shared calendar missing in Outlook",
        steps: ["Open Outlook", "Add the calendar from the address book"], tags: ["outlook", "calendar"]);
    private static readonly KbArticle Excel = Article("excel", category: Categories.SoftwareError, title: "Excel will not open",
        steps: ["Repair Office from Settings"], tags: ["excel"]);
    private static readonly KbArticle Printer = Article("printer", category: Categories.PrinterPeripheral, title: "Printer offline",
        steps: ["Turn the printer off and on"], tags: ["printer", "offline"]);
    private static readonly KbArticle Password = Article("password", category: Categories.PasswordReset, title: "Reset your password",
        steps: ["Go to https://aka.ms/sspr"], tags: ["password", "locked"]);

    private static readonly KbIndex Index = KbIndex.Build([Outlook, Calendar, Excel, Printer, Password]);

    private static double Score(string ticket, KbArticle article) =>
        Index.Relevance(ticket).TryGetValue(article.Key, out var score) ? score : 0;

    [Fact]
    public void BM25_weighs_a_rare_word_above_one_every_article_has()
    {
        // "outlook" is in two articles, "calendar" in one: the rarer word decides.
        Assert.True(Score("outlook calendar", Calendar) > Score("outlook calendar", Outlook));
        Assert.True(Score("calendar", Calendar) > 0);
        Assert.Equal(0, Score("calendar", Outlook));
    }

    [Fact]
    public void A_word_in_the_title_counts_more_than_the_same_word_in_the_steps()
    {
        var inTitle = Article("t", title: "Repair the VPN", steps: ["Restart the computer"]);
        var inSteps = Article("s", title: "Restart the computer", steps: ["Repair the VPN"]);
        var scores = KbIndex.Build([inTitle, inSteps]).Relevance("repair");

        Assert.True(scores[inTitle.Key] > scores[inSteps.Key]);
    }

    [Fact]
    public void A_word_finds_longer_words_it_begins_but_an_exact_match_scores_higher()
    {
        Assert.True(Score("print", Printer) > 0, "print finds printer");
        Assert.True(Score("printer", Printer) > Score("print", Printer));
        Assert.Equal(0, Score("pr", Printer));
    }

    [Theory]
    [InlineData("outlok keeps crashing", "outlook")] // a letter left out
    [InlineData("pasword reset please", "password")]
    [InlineData("pritner is ofline", "printer")] // two letters swapped, and a letter left out
    public void One_typo_per_word_still_finds_the_article(string ticket, string expected)
    {
        var relevance = Index.Relevance(ticket);
        var best = relevance.OrderByDescending(kv => kv.Value).First().Key;

        Assert.Equal($"{KbArticles.AllClients}/{expected}", best);
    }

    [Theory]
    [InlineData("outlooc")] // a wrong letter
    [InlineData("outlok")] // a letter left out
    [InlineData("outllook")] // a letter too many
    [InlineData("otulook")] // two letters swapped
    public void A_word_with_one_typo_matches_and_unrelated_articles_still_do_not(string word)
    {
        Assert.True(Score(word, Outlook) > 0);
        Assert.Equal(0, Score(word, Excel));
        Assert.True(Score("outlook", Outlook) > Score(word, Outlook), "an exact match counts more");
    }

    [Fact]
    public void Short_words_get_no_typo_allowance()
    {
        var vpn = Article("vpn", title: "Connect to the VPN", steps: ["Open it"]);
        var scores = KbIndex.Build([vpn]).Relevance("on");

        Assert.Empty(scores); // "on" is not "open" (no prefix under 3 letters) nor "it"/"to" (no fuzzy under 3)
    }

    [Fact]
    public void The_clients_own_article_comes_before_the_MSPs_general_one_of_equal_relevance()
    {
        var general = Article("vpn-general", title: "VPN will not connect");
        var own = Article("vpn-own", "demo", title: "VPN will not connect");
        var index = KbIndex.Build([general, own]);

        Assert.Equal("vpn-own", index.Best(Categories.VpnRemoteAccess, Demo, "vpn will not connect")?.ArticleId);
        // A general article clearly more relevant still wins over the client's own unrelated one.
        var unrelated = Article("own-other", "demo", title: "Reset the token app", steps: ["Open the token app"]);
        var relevant = Article("vpn-drops", title: "VPN drops every ten minutes", steps: ["Turn off Wi-Fi power saving"], tags: ["vpn", "drops", "disconnects"]);
        Assert.Equal("vpn-drops", KbIndex.Build([unrelated, relevant]).Best(Categories.VpnRemoteAccess, Demo, "vpn drops every ten minutes, disconnects")?.ArticleId);
    }

    [Fact]
    public void Among_equally_relevant_articles_the_one_that_fixed_more_wins()
    {
        var fresh = Article("fresh", title: "VPN will not connect");
        var proven = Article("proven", title: "VPN will not connect", uses: 10, successes: 9);
        var failing = Article("failing", title: "VPN will not connect", uses: 10, successes: 1);

        Assert.Equal("proven", KbIndex.Build([fresh, failing, proven]).Best(Categories.VpnRemoteAccess, Demo, "vpn")?.ArticleId);
        Assert.Equal("fresh", KbIndex.Build([fresh, failing]).Best(Categories.VpnRemoteAccess, Demo, "vpn")?.ArticleId);
    }

    [Fact]
    public void A_ticket_with_no_words_or_an_empty_knowledge_base_gives_no_relevance()
    {
        Assert.Empty(Index.Relevance("  ... !!! "));
        Assert.Empty(KbIndex.Build([]).Relevance("vpn"));
        Assert.Null(KbIndex.Build([]).Best(Categories.VpnRemoteAccess, Demo, "vpn"));
    }

    [Fact]
    public void A_very_long_ticket_is_searched_without_hitting_Lucenes_clause_limit()
    {
        var words = string.Join(' ', Enumerable.Range(0, 5000).Select(i => $"word{i}"));

        Assert.Equal("outlook", Index.Best(Categories.SoftwareError, Demo, $"outlook crashing {words}")?.ArticleId);
    }

    /// <summary>One article per language on the same two problems; each language's ticket must find its own.</summary>
    public static TheoryData<string, string> Languages => new()
    {
        { "My printer is offline and will not print", "printer-en" },
        { "Mein Drucker ist offline und druckt nicht", "printer-de" },
        { "Mon imprimante est hors ligne, elle n'imprime plus", "printer-fr" },
        { "Mi impresora no imprime, está desconectada", "printer-es" },
        { "Mijn printer reageert niet meer, afdrukken lukt niet", "printer-nl" },
        { "I forgot my password and my account is locked", "password-en" },
        { "Ich habe mein Passwort vergessen, Konto gesperrt", "password-de" },
        { "J'ai oublié mon mot de passe, compte bloqué", "password-fr" },
        { "Olvidé mi contrasena y la cuenta está bloqueada", "password-es" }, // typed without the tilde
        { "Ik ben mijn wachtwoord vergeten, account geblokkeerd", "password-nl" },
    };

    private static readonly KbIndex Multilingual = KbIndex.Build([
        Article("printer-en", category: Categories.PrinterPeripheral, title: "Printer offline", steps: ["Turn the printer off and on"], tags: ["printer"]),
        Article("printer-de", category: Categories.PrinterPeripheral, title: "Drucker ist offline", steps: ["Schalten Sie den Drucker aus und wieder ein"], tags: ["drucker"]),
        Article("printer-fr", category: Categories.PrinterPeripheral, title: "Imprimante hors ligne", steps: ["Éteignez l'imprimante puis rallumez-la"], tags: ["imprimante"]),
        Article("printer-es", category: Categories.PrinterPeripheral, title: "Impresora desconectada", steps: ["Apague la impresora y vuelva a encenderla"], tags: ["impresora"]),
        Article("printer-nl", category: Categories.PrinterPeripheral, title: "Printer reageert niet", steps: ["Zet de printer uit en weer aan"], tags: ["printer", "afdrukken"]),
        Article("password-en", category: Categories.PasswordReset, title: "Forgot your password", steps: ["Go to the reset page"], tags: ["password", "locked"]),
        Article("password-de", category: Categories.PasswordReset, title: "Passwort vergessen", steps: ["Öffnen Sie die Seite zum Zurücksetzen"], tags: ["passwort", "gesperrt"]),
        Article("password-fr", category: Categories.PasswordReset, title: "Mot de passe oublié", steps: ["Ouvrez la page de réinitialisation"], tags: ["bloqué"]),
        Article("password-es", category: Categories.PasswordReset, title: "Olvidé mi contraseña", steps: ["Abra la página de restablecimiento"], tags: ["contraseña", "bloqueada"]),
        Article("password-nl", category: Categories.PasswordReset, title: "Wachtwoord vergeten", steps: ["Open de herstelpagina"], tags: ["wachtwoord", "geblokkeerd"]),
    ]);

    [Theory]
    [MemberData(nameof(Languages))]
    public void A_ticket_in_each_of_the_five_languages_finds_the_article_in_its_language(string ticket, string expected)
    {
        var relevance = Multilingual.Relevance(ticket);

        Assert.Equal($"{KbArticles.AllClients}/{expected}", relevance.OrderByDescending(kv => kv.Value).First().Key);
    }

    [Fact]
    public void Accents_are_folded_so_a_word_typed_without_them_still_matches()
    {
        var reseau = Article("reseau", title: "Pas de réseau", steps: ["Redémarrez la box"]);
        var scores = KbIndex.Build([reseau]).Relevance("plus de reseau, redemarrer ?");

        Assert.True(scores.ContainsKey(reseau.Key));
    }
}
