using Autotier.Domain.Classification;
using Autotier.Domain.Replies;
using Xunit;

namespace Autotier.UnitTests.Domain.Replies;

/// <summary>
/// Issue #32, fix 7: the attack pass's "still broken" replies that read as yes, and their kin in five
/// languages, with quoted history and signatures as real replies carry them. A yes must answer the
/// question; a "yes" inside a report of failure, a button's "yes", and a recurrence are no; "about my
/// mouse, not the printer" is a wrong guide naming the mouse.
/// </summary>
public sealed class ReplyAttackTests
{
    private const string Quoted = "\n\nOn Mon, 2 Mar 2026 at 10:00, IT Support <support@msp.example> wrote:\n> Did this resolve your issue?\n> Yes, it's fixed: https://x/yes";
    private const string Signature = "\n\n-- \nSam Lee | Accounts\nThanks and regards";

    public static TheoryData<string, ReplyMeaning> StillBroken => new()
    {
        // English: the attack pass's own
        { "Yes the issue persists", ReplyMeaning.No },
        { "Yes, I followed the steps. Outlook crashes again.", ReplyMeaning.No },
        { "I clicked yes on the dialog and it crashed again", ReplyMeaning.No },
        { "it has locked me out again", ReplyMeaning.No },
        { "Thanks. It is offline again" + Quoted, ReplyMeaning.No },
        { "Yes I did all of that, the error appears again" + Signature, ReplyMeaning.No },
        { "Yes, restarted it. Teams keeps freezing.", ReplyMeaning.No },
        { "Yep, done that. Same thing happened this morning" + Quoted, ReplyMeaning.No },
        { "Yes, thanks, but it failed again at 9", ReplyMeaning.No },
        { "Great, thanks. It keeps disconnecting though.", ReplyMeaning.No },
        { "Yes I got the same error" + Signature + Quoted, ReplyMeaning.No },
        // German
        { "Ja, das Problem besteht weiterhin", ReplyMeaning.No },
        { "Ja, ich habe alles gemacht. Outlook stürzt wieder ab.", ReplyMeaning.No },
        { "Ich habe auf Ja geklickt und es ist abgestürzt", ReplyMeaning.No },
        { "Danke. Es hat mich schon wieder ausgesperrt" + Quoted, ReplyMeaning.No },
        { "Ja, der Drucker ist wieder offline" + Signature, ReplyMeaning.No },
        // Spanish
        { "Sí, el problema persiste", ReplyMeaning.No },
        { "Sí, seguí los pasos. Outlook se cuelga otra vez.", ReplyMeaning.No },
        { "Pulsé sí en el cuadro y se cerró de nuevo", ReplyMeaning.No },
        { "Gracias. Me ha vuelto a bloquear la cuenta" + Quoted, ReplyMeaning.No },
        { "Sí, pero está desconectado otra vez" + Signature, ReplyMeaning.No },
        // French
        { "Oui, le problème persiste", ReplyMeaning.No },
        { "Oui, j'ai suivi les étapes. Outlook plante encore.", ReplyMeaning.No },
        { "J'ai cliqué sur oui et ça a planté", ReplyMeaning.No },
        { "Merci. Mon compte est de nouveau bloqué" + Quoted, ReplyMeaning.No },
        { "Oui, l'imprimante est hors ligne" + Signature, ReplyMeaning.No },
        // Dutch
        { "Ja, het probleem blijft bestaan", ReplyMeaning.No },
        { "Ja, ik heb de stappen gevolgd. Outlook crasht weer.", ReplyMeaning.No },
        { "Ik heb op ja geklikt en het programma loopt vast", ReplyMeaning.No },
        { "Bedankt. Mijn account is weer geblokkeerd" + Quoted, ReplyMeaning.No },
        { "Ja, de printer is opnieuw offline" + Signature, ReplyMeaning.No },
    };

    [Theory]
    [MemberData(nameof(StillBroken))]
    public void A_yes_inside_a_report_of_failure_or_a_recurrence_is_a_no(string text, ReplyMeaning meaning) =>
        Assert.Equal(meaning, ReplyReader.Read(text).Meaning);

    [Fact]
    public void The_table_has_the_attack_pass_s_fourteen_and_more()
    {
        Assert.True(StillBroken.Count >= 14);
    }

    /// <summary>The same words said as gone, and real yeses around the new tables: still yes.</summary>
    [Theory]
    [InlineData("Yes, it doesn't crash anymore, thanks")]
    [InlineData("Thanks, it's back online")]
    [InlineData("Yes! No more crashes since the update" + Signature)]
    [InlineData("Ja, danke, Outlook stürzt nicht mehr ab")]
    [InlineData("Sí, ya no se cuelga, gracias")]
    [InlineData("Oui merci, Outlook ne plante plus")]
    [InlineData("Ja, hij crasht niet meer, bedankt")]
    [InlineData("Yes, that fixed it" + Quoted)]
    public void Failure_words_said_as_gone_stay_a_yes(string text) =>
        Assert.Equal(ReplyMeaning.Yes, ReplyReader.Read(text).Meaning);

    /// <summary>Replies found while probing the tables: each reads as the requester meant it.</summary>
    [Theory]
    [InlineData("It's working, no more lockouts", ReplyMeaning.Yes)]
    [InlineData("Fixed, thanks. No more freezes.", ReplyMeaning.Yes)]
    [InlineData("The VPN connects now", ReplyMeaning.Yes)]
    [InlineData("Yes, it isn't slow anymore", ReplyMeaning.Yes)]
    [InlineData("It works but it's slow", ReplyMeaning.No)]
    [InlineData("Connects, then drops after a minute", ReplyMeaning.No)]
    [InlineData("Same as before", ReplyMeaning.No)]
    [InlineData("It did it again", ReplyMeaning.No)]
    [InlineData("Es ist wieder passiert", ReplyMeaning.No)]
    [InlineData("Das Problem ist wieder da", ReplyMeaning.No)]
    [InlineData("Ça recommence", ReplyMeaning.No)]
    [InlineData("Het probleem blijft", ReplyMeaning.No)]
    [InlineData("Het gebeurt weer", ReplyMeaning.No)]
    [InlineData("Still the same\n\n-- \nSam\nThanks!", ReplyMeaning.No)]
    [InlineData("Yes, but now Outlook asks for my password every time", ReplyMeaning.Unclear)]
    [InlineData("Danke, aber jetzt fragt Outlook nach dem Passwort", ReplyMeaning.Unclear)]
    [InlineData("Gracias, pero ahora Outlook pide la contraseña", ReplyMeaning.Unclear)]
    [InlineData("Merci, mais Outlook demande le mot de passe", ReplyMeaning.Unclear)]
    [InlineData("Bedankt, maar Outlook vraagt om mijn wachtwoord", ReplyMeaning.Unclear)]
    [InlineData("Thanks but it works now", ReplyMeaning.Yes)]
    [InlineData("Took a while, but it's fixed, thanks", ReplyMeaning.Yes)]
    public void Reads_what_probing_found(string text, ReplyMeaning meaning) =>
        Assert.Equal(meaning, ReplyReader.Read(text).Meaning);

    /// <summary>A "yes" that answers a dialog, not our question, says nothing about the fix.</summary>
    [Theory]
    [InlineData("I clicked yes on the dialog")]
    [InlineData("Ich habe auf Ja geklickt")]
    [InlineData("J'ai cliqué sur oui")]
    [InlineData("Ik heb op ja geklikt")]
    [InlineData("Pulsé sí en el cuadro")]
    public void A_button_s_yes_alone_is_unclear(string text) =>
        Assert.Equal(ReplyMeaning.Unclear, ReplyReader.Read(text).Meaning);

    public static TheoryData<string, string?> WrongGuides => new()
    {
        { "this is about my mouse, not the printer", Devices.Mouse },
        { "Mouse, not printer!", Devices.Mouse },
        { "It's not the printer but my keyboard" + Signature, Devices.Keyboard },
        { "Thanks, but I meant the scanner" + Quoted, Devices.Scanner },
        { "Es geht um meine Maus, nicht den Drucker", Devices.Mouse },
        { "Nicht der Drucker, sondern die Tastatur", Devices.Keyboard },
        { "Es sobre mi ratón, no la impresora", Devices.Mouse },
        { "Se trata de la pantalla" + Quoted, Devices.Monitor },
        { "Il s'agit de ma souris, pas de l'imprimante", Devices.Mouse },
        { "Ce n'est pas l'imprimante mais le casque" + Signature, Devices.Headset },
        { "Het gaat om mijn muis, niet de printer", Devices.Mouse },
        { "Niet de printer maar het toetsenbord", Devices.Keyboard },
        { "Wrong instructions, I don't have a printer", null },
        { "It's about my headset actually", Devices.Headset },
        { "Thanks, but I have no printer, it's the scanner", Devices.Scanner },
        { "Falsche Anleitung", null },
    };

    [Theory]
    [MemberData(nameof(WrongGuides))]
    public void Says_which_device_it_is_about_when_the_guide_was_wrong(string text, string? device) =>
        Assert.Equal(new ReplyReading(ReplyMeaning.WrongGuide, device), ReplyReader.Read(text));

    [Theory]
    [InlineData("The printer works but not the scanner")]
    [InlineData("Thanks, the printer prints again")]
    [InlineData("Not the printer again! Still jammed")]
    public void A_device_named_in_an_answer_is_no_wrong_guide(string text) =>
        Assert.NotEqual(ReplyMeaning.WrongGuide, ReplyReader.Read(text).Meaning);

    [Fact]
    public void Naming_the_guide_s_own_device_is_an_answer_not_a_wrong_guide()
    {
        Assert.Equal(new ReplyReading(ReplyMeaning.No), ReplyReader.Read("This is about the printer and it still jams", Devices.Printer));
        Assert.Equal(new ReplyReading(ReplyMeaning.WrongGuide, Devices.Printer), ReplyReader.Read("This is about the printer and it still jams", Devices.Mouse));
    }
}
