using Autotier.Domain.Replies;
using Xunit;

namespace Autotier.UnitTests.Domain.Replies;

/// <summary>tests/unit/domain/lifecycle.test.ts (interpretReply), every case, in the C# reader.</summary>
public sealed class ReplyReaderTests
{
    private const string Y = "yes", N = "no";

    /// <summary>Replies to "Did this resolve your issue?", per language: at least eight yes and eight no.</summary>
    public static TheoryData<string, string, string> Replies => new()
    {
        { "English", "Thanks, that worked!", Y },
        { "English", "yes all good now", Y },
        { "English", "It's working again, cheers", Y },
        { "English", "No problem, it works now", Y },
        { "English", "Yep, sorted.", Y },
        { "English", "Perfect, that did it", Y },
        { "English", "No more errors since the restart, thank you", Y },
        { "English", "I don't get the error anymore", Y },
        { "English", "THANK YOU!!", Y },
        { "English", "Still broken", N },
        { "English", "Nope, same error as before", N },
        { "English", "It stopped working again this morning", N },
        { "English", "didn't help unfortunately", N },
        { "English", "I cannot sign in", N },
        { "English", "No.", N },
        { "English", "Thanks, but it did not help", N },
        { "English", "Not fixed yet", N },
        { "English", "Tried it, no luck", N },
        { "English", "Thanks for the steps but it’s still not working", N },
        { "German", "Danke, es funktioniert", Y },
        { "German", "Ja, danke!", Y },
        { "German", "Vielen Dank, jetzt geht’s wieder", Y },
        { "German", "Funktioniert wieder, dankeschön", Y },
        { "German", "Problem gelöst, danke", Y },
        { "German", "Alles gut, läuft wieder", Y },
        { "German", "Super, hat geklappt! Der Fehler kommt nicht mehr.", Y },
        { "German", "Kein Problem, klappt jetzt", Y },
        { "German", "Keine Fehlermeldung mehr, danke", Y },
        { "German", "Nein, geht immer noch nicht", N },
        { "German", "Hat leider nicht geholfen", N },
        { "German", "Funktioniert nicht", N },
        { "German", "Danke, aber der gleiche Fehler wie vorher", N },
        { "German", "Nein.", N },
        { "German", "Das Problem besteht weiterhin", N },
        { "German", "Leider kein Erfolg", N },
        { "German", "Klappt immer noch nicht, danke trotzdem", N },
        { "German", "Hat nichts gebracht", N },
        { "Spanish", "¡Gracias, ya funciona!", Y },
        { "Spanish", "Sí, gracias", Y },
        { "Spanish", "Sí.", Y },
        { "Spanish", "Ya funciona, muchas gracias", Y },
        { "Spanish", "Solucionado, gracias", Y },
        { "Spanish", "Perfecto, todo bien", Y },
        { "Spanish", "Ya no me sale el error, gracias", Y },
        { "Spanish", "Resuelto", Y },
        { "Spanish", "De nada, funciona perfecto", Y },
        { "Spanish", "No, sigue sin funcionar", N },
        { "Spanish", "No funciona", N },
        { "Spanish", "Todavía no", N },
        { "Spanish", "Sigue igual", N },
        { "Spanish", "Gracias, pero el mismo error", N },
        { "Spanish", "No se solucionó", N },
        { "Spanish", "Sigue fallando, gracias de todos modos", N },
        { "Spanish", "El problema persiste", N },
        { "French", "Merci, ça marche", Y },
        { "French", "Oui merci", Y },
        { "French", "Ça fonctionne maintenant, merci beaucoup", Y },
        { "French", "Résolu, merci", Y },
        { "French", "C'est bon, tout marche", Y },
        { "French", "Parfait, ça remarche", Y },
        { "French", "Merci, je n’ai plus d’erreur", Y },
        { "French", "Pas de souci, ça marche", Y },
        { "French", "De rien ! Tout est ok", Y },
        { "French", "Non, ça ne marche toujours pas", N },
        { "French", "Non", N },
        { "French", "Ça ne fonctionne pas", N },
        { "French", "Toujours pas", N },
        { "French", "Merci mais même erreur", N },
        { "French", "Ça n'a pas aidé", N },
        { "French", "Ça ne marche plus depuis ce matin", N },
        { "French", "Le problème est revenu", N },
        { "Dutch", "Bedankt, het werkt weer", Y },
        { "Dutch", "Ja, dank je wel", Y },
        { "Dutch", "Opgelost, bedankt!", Y },
        { "Dutch", "Het werkt nu, dank u", Y },
        { "Dutch", "Top, alles is goed", Y },
        { "Dutch", "Geen probleem, het is gelukt", Y },
        { "Dutch", "Geen foutmelding meer, bedankt", Y },
        { "Dutch", "Prima, werkt", Y },
        { "Dutch", "Nee, werkt nog steeds niet", N },
        { "Dutch", "Nee", N },
        { "Dutch", "Werkt niet", N },
        { "Dutch", "Helaas niet opgelost", N },
        { "Dutch", "Nog steeds dezelfde foutmelding", N },
        { "Dutch", "Bedankt, maar het werkt niet", N },
        { "Dutch", "Helaas, geen verbetering", N },
        { "Dutch", "Het probleem is weer terug", N },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void Reads_replies_in_five_languages(string language, string text, string meaning)
    {
        Assert.NotNull(language);
        Assert.Equal(meaning == Y ? ReplyMeaning.Yes : ReplyMeaning.No, ReplyReader.Read(text).Meaning);
    }

    [Fact]
    public void Every_language_has_eight_yes_and_eight_no_replies()
    {
        var rows = Replies.Select(r => ((string)r[0], (string)r[2])).ToList();
        foreach (var language in rows.Select(r => r.Item1).Distinct())
        {
            Assert.True(rows.Count(r => r.Item1 == language && r.Item2 == Y) >= 8, language);
            Assert.True(rows.Count(r => r.Item1 == language && r.Item2 == N) >= 8, language);
        }
    }

    [Theory]
    [InlineData("ok")]
    [InlineData("OK")]
    [InlineData("Okay")]
    [InlineData("k")]
    [InlineData("?")]
    [InlineData("??")]
    [InlineData("hmm")]
    [InlineData("Hmm...")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("> yes it works")]
    [InlineData("Can you call me at 3pm?")]
    public void Reads_short_or_content_free_replies_as_unclear(string text) =>
        Assert.Equal(ReplyMeaning.Unclear, ReplyReader.Read(text).Meaning);

    [Theory]
    [InlineData("No problem!")]
    [InlineData("No worries")]
    [InlineData("Kein Problem")]
    [InlineData("Keine Ursache")]
    [InlineData("De nada")]
    [InlineData("No hay problema")]
    [InlineData("De rien")]
    [InlineData("Pas de problème")]
    [InlineData("Geen probleem")]
    [InlineData("Graag gedaan")]
    public void Does_not_read_politeness_with_a_negation_in_it_as_a_no(string text) =>
        Assert.NotEqual(ReplyMeaning.No, ReplyReader.Read(text).Meaning);

    [Fact]
    public void Reads_what_follows_the_politeness()
    {
        Assert.Equal(ReplyMeaning.Yes, ReplyReader.Read("No problem, thanks, it works").Meaning);
        Assert.Equal(ReplyMeaning.No, ReplyReader.Read("Kein Problem, aber es geht immer noch nicht").Meaning);
    }

    [Theory]
    [InlineData("Thanks, I'll try it tomorrow")]
    [InlineData("Haven't tried it yet")]
    [InlineData("Danke, ich habe es noch nicht getestet")]
    [InlineData("Gracias, todavía no lo he probado")]
    [InlineData("Merci, je vais essayer")]
    [InlineData("Bedankt, nog niet getest")]
    [InlineData("Not sure, I don't know if it works")]
    [InlineData("Je ne sais pas si ça marche")]
    [InlineData("Werkt het nu?")]
    [InlineData("Funktioniert es jetzt?")]
    public void Reads_not_knowing_yet_or_a_question_as_unclear_even_when_thankful(string text) =>
        Assert.Equal(ReplyMeaning.Unclear, ReplyReader.Read(text).Meaning);

    [Theory]
    [InlineData("MERCI, ÇA MARCHE", ReplyMeaning.Yes)]
    [InlineData("merci, ca marche", ReplyMeaning.Yes)]
    [InlineData("GRACIAS, YA FUNCIONA", ReplyMeaning.Yes)]
    [InlineData("Ça marche", ReplyMeaning.Yes)]
    // "nö" folds to "no"; decomposed accents (e + U+0301) read as the composed ones.
    [InlineData("Nö, geht immer noch nicht", ReplyMeaning.No)]
    [InlineData("Re\u0301solu, merci", ReplyMeaning.Yes)]
    public void Ignores_accents_and_case(string text, ReplyMeaning meaning) => Assert.Equal(meaning, ReplyReader.Read(text).Meaning);

    [Fact]
    public void Ignores_the_quoted_question_and_history() =>
        Assert.Equal(ReplyMeaning.Yes, ReplyReader.Read("Thanks!\n\nOn Mon 2 Mar, IT Support wrote:\n> No, it is still not working: http://x").Meaning);

    [Theory]
    [InlineData("Am 02.03.2026 um 10:00 schrieb IT Support <support@msp.example>:")]
    [InlineData("IT Support <support@msp.example> schrieb am 02.03.2026 um 10:00:")]
    [InlineData("El lun, 2 mar 2026 a las 10:00, IT Support (<support@msp.example>) escribió:")]
    [InlineData("Le lun. 2 mars 2026 à 10:00, IT Support <support@msp.example> a écrit :")]
    [InlineData("Op ma 2 mrt 2026 om 10:00 schreef IT Support <support@msp.example>:")]
    [InlineData("Von: IT Support <support@msp.example>")]
    [InlineData("De : IT Support <support@msp.example>")]
    [InlineData("De: IT Support <support@msp.example>")]
    [InlineData("Van: IT Support <support@msp.example>")]
    [InlineData("-----Ursprüngliche Nachricht-----")]
    [InlineData("-----Message d’origine-----")]
    [InlineData("On Mon, 2 Mar 2026 at 10:00, IT Support <support@msp.example>\nwrote:")]
    public void Drops_the_quoted_history_under_each_header(string header) =>
        Assert.Equal(ReplyMeaning.Yes, ReplyReader.Read($"Danke, läuft wieder\n\n{header}\nHat das Problem gelöst? Nein, geht nicht.\n> Nein").Meaning);
}
