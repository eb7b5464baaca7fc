using Autotier.Domain.Text;
using Xunit;

namespace Autotier.UnitTests.Domain.Text;

/// <summary>
/// TicketText.Clean: the quoted-history cases of tests/unit/domain/quotedHistory.test.ts,
/// lifecycle.test.ts and mimeParser.test.ts (expected values from the TS build's stripQuoted, for
/// reading and for a stored reply), then the clean-up every channel now shares: reply markers in five
/// languages, forwards, signatures and disclaimers.
/// </summary>
public sealed class TicketTextTests
{
    // Input, stripQuoted(input), stripQuoted(input, { keepInlineQuotes: true }) from dist/src/domain/quotedHistory.js;
    // the last four inputs are TS mail fixtures as parseMime reads them (forwarded.eml differs on purpose, below).
    [Theory]
        [InlineData("> Did you restart it?\nYes, and it works now\n> Is the light green?\nYes\n\n> Thanks, IT",
            "Yes, and it works now\nYes",
            "> Did you restart it?\nYes, and it works now\n> Is the light green?\nYes")]
        [InlineData("Yes thanks\n-- \nKim Park\nNo callbacks before 9, please",
            "Yes thanks",
            "Yes thanks")]
        [InlineData("Danke\nIT Support <it@x> schrieb am 02.03.2026 um 10:05:\nalt",
            "Danke",
            "Danke")]
        [InlineData("Bedankt\nIT Support schreef op 2-3-2026 10:05:\noud",
            "Bedankt",
            "Bedankt")]
        [InlineData("Merci\nLe lun. 2 mars 2026 a 10:05, IT <it@x> a ecrit :\n> old",
            "Merci",
            "Merci")]
        [InlineData("Danke\n-----Urspru\u0308ngliche Nachricht-----\nalt",
            "Danke",
            "Danke")]
        [InlineData("Dank je\n-----Oorspronkelijk bericht-----\noud",
            "Dank je",
            "Dank je")]
        [InlineData("Yes it works\nFrom: my manager I heard the VPN is fine now.\nThanks",
            "Yes it works\nFrom: my manager I heard the VPN is fine now.\nThanks",
            "Yes it works\nFrom: my manager I heard the VPN is fine now.\nThanks")]
        [InlineData("Yes\nFrom: IT Support\nSent: Monday\nDid it work?",
            "Yes",
            "Yes")]
        [InlineData("Yes\nVon: IT Support <it@x>\nHat es geklappt?",
            "Yes",
            "Yes")]
        [InlineData("Fine now\n________________________________\nFrom: IT <it@x>\nSent: Monday\nOld",
            "Fine now",
            "Fine now")]
        [InlineData("Yes\nOn Monday, IT Support <it@x>\nwrote:\nold",
            "Yes",
            "Yes")]
        [InlineData("Danke\nIT Support <it@x> schrieb am 02.03.2026\num 10:05:\nalt",
            "Danke",
            "Danke")]
        [InlineData("Thanks!\n\nOn Mon 2 Mar, IT Support wrote:\n> No, it is still not working: http://x",
            "Thanks!",
            "Thanks!")]
        [InlineData("Fine now\n> old text\n-----Original Message-----\nFrom: IT",
            "Fine now",
            "Fine now\n> old text")]
        [InlineData("Danke, l\u00e4uft wieder\n\nAm 02.03.2026 um 10:00 schrieb IT Support <support@msp.example>:\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\nIT Support <support@msp.example> schrieb am 02.03.2026 um 10:00:\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\nEl lun, 2 mar 2026 a las 10:00, IT Support (<support@msp.example>) escribi\u00f3:\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\nLe lun. 2 mars 2026 \u00e0 10:00, IT Support <support@msp.example> a \u00e9crit :\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\nOp ma 2 mrt 2026 om 10:00 schreef IT Support <support@msp.example>:\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\nVon: IT Support <support@msp.example>\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\nDe : IT Support <support@msp.example>\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\nDe: IT Support <support@msp.example>\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\nVan: IT Support <support@msp.example>\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\n-----Urspr\u00fcngliche Nachricht-----\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\n-----Message d\u2019origine-----\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Danke, l\u00e4uft wieder\n\nOn Mon, 2 Mar 2026 at 10:00, IT Support <support@msp.example>\nwrote:\nHat das Problem gel\u00f6st? Nein, geht nicht.\n> Nein",
            "Danke, l\u00e4uft wieder",
            "Danke, l\u00e4uft wieder")]
        [InlineData("Ich habe es 2 mal versucht\nIT Support schrieb am 02.03.2026 um 10:00:\n> alt",
            "Ich habe es 2 mal versucht",
            "Ich habe es 2 mal versucht")]
        [InlineData("On Monday it worked\nthen it broke",
            "On Monday it worked\nthen it broke",
            "On Monday it worked\nthen it broke")]
        [InlineData("Merci\n\nLe lun. 2 mars 2026 \u00e0 10:05, IT <it@x> a \u00e9crit :\n> old",
            "Merci",
            "Merci")]
        [InlineData("Danke\nAm 02.03.2026 um 10:05 schrieb IT <it@x>:\n> alt",
            "Danke",
            "Danke")]
        [InlineData("Still broken\n-----Original Message-----\nFrom: IT\nSent: now",
            "Still broken",
            "Still broken")]
        [InlineData("From: my laptop I cannot print.\nThe printer is fine otherwise.",
            "From: my laptop I cannot print.\nThe printer is fine otherwise.",
            "From: my laptop I cannot print.\nThe printer is fine otherwise.")]
        [InlineData("Line one\r\nLine two\r\n\r\nOn Mon, 2 Mar 2026, IT wrote:\r\n> x",
            "Line one\nLine two",
            "Line one\nLine two")]
        [InlineData("  padded  \n\n",
            "padded",
            "padded")]
        [InlineData("Hi team,\n\nThe reception printer shows offline since this morning. We've restarted it \u2013 no change.\n\nThanks,\nKim\n-- \nKim Park | Demo Dental Group | 01234 567890",
            "Hi team,\n\nThe reception printer shows offline since this morning. We've restarted it \u2013 no change.\n\nThanks,\nKim",
            "Hi team,\n\nThe reception printer shows offline since this morning. We've restarted it \u2013 no change.\n\nThanks,\nKim")]
        [InlineData("No, it still says my account is locked.\n\nKim\n\n________________________________\nFrom: IT Support <support@msp.example>\nSent: 02 March 2026 10:05\nTo: Kim Park <kim.park@demo.example>\nSubject: [#T-PLACEHOLDER] Getting back into your account\n\nHi Kim, here is how to get back into your account...\nDid this resolve your issue?",
            "No, it still says my account is locked.\n\nKim",
            "No, it still says my account is locked.\n\nKim")]
        [InlineData("Yes, that fixed it, thank you!\n\nOn Mon, 2 Mar 2026 at 10:05, IT Support <support@msp.example>\nwrote:\n> Hi Kim, here is how to get back into your account...\n> Did this resolve your issue?",
            "Yes, that fixed it, thank you!",
            "Yes, that fixed it, thank you!")]
        [InlineData("Bonjour,\n\nL'imprimante du cabinet affiche \u00ab hors ligne \u00bb depuis ce matin. Merci d'avance.\n\nRen\u00e9",
            "Bonjour,\n\nL'imprimante du cabinet affiche \u00ab hors ligne \u00bb depuis ce matin. Merci d'avance.\n\nRen\u00e9",
            "Bonjour,\n\nL'imprimante du cabinet affiche \u00ab hors ligne \u00bb depuis ce matin. Merci d'avance.\n\nRen\u00e9")]
    public void Matches_the_TypeScript_stripQuoted(string text, string read, string stored)
    {
        Assert.Equal(read, TicketText.Clean(text).Text);
        Assert.Equal(stored, TicketText.Clean(text, keepInlineQuotes: true).Text);
    }

    // Each client's reply marker, in English, German, French, Spanish and Dutch.
    [Theory]
    [InlineData("On Mon, 2 Mar 2026 at 10:00, IT Support <it@msp.example> wrote:")]
    [InlineData("On Mon, 2 Mar 2026 at 10:00, IT Support <it@msp.example>\nwrote:")]
    [InlineData("Am 02.03.2026 um 10:00 schrieb IT Support <it@msp.example>:")]
    [InlineData("IT Support <it@msp.example> schrieb am 02.03.2026 um 10:00:")]
    [InlineData("Le lun. 2 mars 2026 \u00e0 10:00, IT Support <it@msp.example> a \u00e9crit :")]
    [InlineData("El lun, 2 mar 2026 a las 10:00, IT Support (<it@msp.example>) escribi\u00f3:")]
    [InlineData("Op ma 2 mrt 2026 om 10:00 schreef IT Support <it@msp.example>:")]
    [InlineData("IT Support schreef op 2-3-2026 10:00:")]
    [InlineData("-----Original Message-----")]
    [InlineData("-----Urspr\u00fcngliche Nachricht-----")]
    [InlineData("-----Message d\u2019origine-----")]
    [InlineData("-----Mensaje original-----")]
    [InlineData("-----Oorspronkelijk bericht-----")]
    [InlineData("From: IT Support <it@msp.example>\nSent: Monday, 2 March 2026 10:00")]
    [InlineData("Von: IT Support <it@msp.example>\nGesendet: Montag, 2. M\u00e4rz 2026 10:00")]
    [InlineData("De : IT Support <it@msp.example>\nEnvoy\u00e9 : lundi 2 mars 2026 10:00")]
    [InlineData("De: IT Support <it@msp.example>\nEnviado: lunes, 2 de marzo de 2026 10:00")]
    [InlineData("Van: IT Support <it@msp.example>\nVerzonden: maandag 2 maart 2026 10:00")]
    [InlineData("________________________________\nFrom: IT Support <it@msp.example>\nSent: Monday")]
    public void Drops_history_under_each_reply_marker(string marker)
    {
        var cleaned = TicketText.Clean($"Still broken, sorry.\n\n{marker}\nThe printer is fixed, please confirm.\n> old");
        Assert.Equal("Still broken, sorry.", cleaned.Text);
        Assert.True(cleaned.RemovedQuote);
        Assert.False(cleaned.RemovedSignature);
        Assert.False(cleaned.RemovedDisclaimer);
    }

    // The reason for one clean-up everywhere: a quoted outage notice made a password request a P1.
    [Theory]
    [InlineData("Hi,\n\nI forgot my password, can you reset it please?\n\nThanks\nKim\n\nOn Mon, 2 Mar 2026 at 09:00, IT Support <it@msp.example> wrote:\n> Planned outage: the mail server will be down tonight from 22:00.\n> All users are affected.")]
    [InlineData("Hi,\n\nI forgot my password, can you reset it please?\n\nThanks\nKim\n\n________________________________\nFrom: IT Support <it@msp.example>\nSent: Monday, 2 March 2026 09:00\nTo: All staff\nSubject: Planned outage\n\nThe mail server will be down tonight from 22:00. All users are affected.")]
    [InlineData("Hi,\n\nI forgot my password, can you reset it please?\n\nThanks\nKim\n\n-----Original Message-----\nFrom: IT Support\nSent: Monday\nSubject: Planned outage\n\nThe mail server will be down tonight from 22:00.")]
    public void A_password_request_quoting_an_outage_notice_keeps_only_the_request(string mail)
    {
        var cleaned = TicketText.Clean(mail);
        Assert.Equal("Hi,\n\nI forgot my password, can you reset it please?\n\nThanks\nKim", cleaned.Text);
        Assert.True(cleaned.RemovedQuote);
        Assert.DoesNotContain("down", cleaned.Text, StringComparison.Ordinal);
    }

    // A forward that is only the forwarded mail: the forwarded complaint is still the complaint.
    [Theory]
    [InlineData("---------- Forwarded message ---------\nFrom: Kim Park <kim@demo.example>\nDate: Mon, 2 Mar 2026 at 09:00\nSubject: Printer\nTo: Boss <boss@demo.example>\n\nThe printer shows error 49.4C02 and will not print.")]
    [InlineData("-------- Weitergeleitete Nachricht --------\nBetreff: Drucker\nDatum: Mon, 2 Mar 2026 09:00\nVon: Kim Park <kim@demo.example>\nAn: IT <it@msp.example>\n\nThe printer shows error 49.4C02 and will not print.")]
    [InlineData("---------- Message transf\u00e9r\u00e9 ---------\nDe : Kim Park <kim@demo.example>\nDate: lun. 2 mars 2026\nObjet : Imprimante\n\nThe printer shows error 49.4C02 and will not print.")]
    [InlineData("Begin forwarded message:\n\nFrom: Kim Park <kim@demo.example>\nSubject: Printer\n\nThe printer shows error 49.4C02 and will not print.")]
    [InlineData("________________________________\nFrom: Kim Park <kim@demo.example>\nSent: Monday, 2 March 2026 09:00\nTo: Boss\nSubject: Printer\n\nThe printer shows error 49.4C02 and will not print.")]
    [InlineData("-----Original Message-----\nFrom: Kim Park\nSent: Monday\n\nThe printer shows error 49.4C02 and will not print.")]
    [InlineData("On Mon, 2 Mar 2026, Kim Park <kim@demo.example> wrote:\n> The printer shows error 49.4C02 and will not print.")]
    [InlineData("> The printer shows error 49.4C02 and will not print.")]
    [InlineData("\n\n>> The printer shows error 49.4C02 and will not print.\n")]
    public void A_bare_forward_keeps_its_content(string mail)
    {
        Assert.Equal("The printer shows error 49.4C02 and will not print.", TicketText.Clean(mail).Text);
        Assert.Equal("The printer shows error 49.4C02 and will not print.", TicketText.Clean(mail, keepInlineQuotes: true).Text);
    }

    // Quoted lines above an empty history are the content (kept, so RemovedQuote is false); a stored
    // reply keeps them with their ">" as stripQuoted did.
    [Fact]
    public void Quoted_lines_above_an_empty_history_are_the_content()
    {
        var mail = "> The printer shows error 49.4C02 and will not print.\n\n-----Original Message-----";
        Assert.Equal(new CleanedText("The printer shows error 49.4C02 and will not print.", false, false, false), TicketText.Clean(mail));
        Assert.Equal("> The printer shows error 49.4C02 and will not print.", TicketText.Clean(mail, keepInlineQuotes: true).Text);
    }

    // stripQuoted cut forwarded.eml at the forwarded mail's From: block and kept the bare separator
    // (intake never stripped a forward, so it did not matter); the clean-up keeps the forwarded mail.
    [Fact]
    public void The_forwarded_fixture_keeps_the_forwarded_mail()
    {
        var text = "Can you look at this for the Riverside team please?\n\n---------- Forwarded message ---------\n"
            + "From: Alex Jones <alex.jones@demo.example>\nDate: Mon, 2 Mar 2026 at 09:50\nSubject: Printer error 49.4C02\n"
            + "To: Practice Manager <manager@demo.example>\n\nThe Riverside printer shows error 49.4C02 and will not print.";
        Assert.Equal(
            new CleanedText("Can you look at this for the Riverside team please?\n\nThe Riverside printer shows error 49.4C02 and will not print.", false, false, false),
            TicketText.Clean(text));
    }

    [Fact]
    public void Quoted_lines_go_when_reading_and_a_trailing_run_goes_either_way()
    {
        var mail = "> Did you restart it?\nYes\n\n> The printer is fixed.\n> Regards, IT";
        Assert.Equal(new CleanedText("Yes", true, false, false), TicketText.Clean(mail));
        Assert.Equal(new CleanedText("> Did you restart it?\nYes", true, false, false), TicketText.Clean(mail, keepInlineQuotes: true));
        Assert.Equal(new CleanedText("> Did you restart it?\nYes", false, false, false), TicketText.Clean("> Did you restart it?\nYes", keepInlineQuotes: true));
    }

    [Fact]
    public void A_forward_with_a_note_keeps_the_note_and_the_forwarded_mail_without_its_headers_or_signatures()
    {
        var mail = "Can you look at this please?\n-- \nBoss\n\n---------- Forwarded message ---------\nFrom: Kim Park <kim@demo.example>\n"
            + "Date: Mon, 2 Mar 2026\nSubject: Printer\nTo: Boss <boss@demo.example>\n\nThe printer shows error 49.4C02.\n\nSent from my iPhone";
        var cleaned = TicketText.Clean(mail);
        Assert.Equal("Can you look at this please?\n\nThe printer shows error 49.4C02.", cleaned.Text);
        Assert.True(cleaned.RemovedSignature);
        Assert.False(cleaned.RemovedQuote);
    }

    [Theory]
    [InlineData("Sent from my iPhone")]
    [InlineData("Sent from my Samsung Galaxy smartphone.")]
    [InlineData("Get Outlook for Android")]
    [InlineData("Von meinem iPhone gesendet")]
    [InlineData("Envoy\u00e9 de mon iPhone")]
    [InlineData("Enviado desde mi iPhone")]
    [InlineData("Verzonden vanaf mijn iPhone")]
    [InlineData("Verstuurd met mijn Android telefoon")]
    [InlineData("-- \nKim Park\nReception, Riverside office\n01234 567890")]
    [InlineData("--\nKim Park")]
    public void Removes_signatures(string signature)
    {
        var cleaned = TicketText.Clean($"The VPN drops every ten minutes.\n\n{signature}");
        Assert.Equal("The VPN drops every ten minutes.", cleaned.Text);
        Assert.True(cleaned.RemovedSignature);
        Assert.False(cleaned.RemovedQuote);
    }

    [Theory]
    [InlineData("This email and any attachments are confidential and intended solely for the addressee.")]
    [InlineData("CONFIDENTIALITY NOTICE: This e-mail message is for the sole use of the intended recipient(s).")]
    [InlineData("**Confidentiality Notice**\nThe information in this message is privileged.")]
    [InlineData("The information contained in this email is confidential and may be privileged.")]
    [InlineData("Diese E-Mail enth\u00e4lt vertrauliche und/oder rechtlich gesch\u00fctzte Informationen.")]
    [InlineData("Vertraulichkeitshinweis: Diese Nachricht ist ausschlie\u00dflich f\u00fcr den Empf\u00e4nger bestimmt.")]
    [InlineData("Ce message et ses pi\u00e8ces jointes sont confidentiels et destin\u00e9s exclusivement \u00e0 leurs destinataires.")]
    [InlineData("Este mensaje es confidencial y va dirigido exclusivamente a su destinatario.")]
    [InlineData("Este correo electr\u00f3nico y sus anexos son confidenciales.")]
    [InlineData("Dit e-mailbericht is uitsluitend bestemd voor de geadresseerde.")]
    [InlineData("De informatie verzonden in dit e-mailbericht is vertrouwelijk.")]
    public void Removes_disclaimers(string disclaimer)
    {
        var cleaned = TicketText.Clean($"The VPN drops every ten minutes.\n\nKim Park\n\n{disclaimer}\nIf you received it in error, delete it.");
        Assert.Equal("The VPN drops every ten minutes.\n\nKim Park", cleaned.Text);
        Assert.True(cleaned.RemovedDisclaimer);
        Assert.False(cleaned.RemovedSignature);
    }

    [Fact]
    public void A_disclaimer_under_a_signature_and_above_history_all_go()
    {
        var cleaned = TicketText.Clean("Still broken.\n-- \nKim\nCONFIDENTIALITY NOTICE: do not forward.\n\nOn Mon, 2 Mar 2026, IT wrote:\n> Fixed?");
        Assert.Equal(new CleanedText("Still broken.", true, true, true), cleaned);
    }

    // Lines that only look like markers: sentences a requester writes.
    [Theory]
    [InlineData("The printer at reception is offline.")]
    [InlineData("From: my laptop I cannot print.\nThe printer is fine otherwise.")]
    [InlineData("On Monday it worked\nthen it broke")]
    [InlineData("Sent from my laptop the VPN fails every time.")]
    [InlineData("This email is about the confidential HR folder, which I cannot open.")]
    [InlineData("Diese E-Mail ist wegen des Druckers: er druckt nicht.")]
    [InlineData("Le serveur a \u00e9t\u00e9 red\u00e9marr\u00e9 mais rien.\n2 + 2 = 4 -- still")]
    [InlineData("Op maandag werkte het nog.\nDe: printer doet niks")]
    [InlineData("Disclaimer aside, the scanner is broken.")]
    [InlineData("Line with a tab\tand\u00a0spaces")]
    public void Keeps_text_without_markers_unchanged(string text)
    {
        Assert.Equal(new CleanedText(text, false, false, false), TicketText.Clean(text));
        Assert.Equal(new CleanedText(text, false, false, false), TicketText.Clean(text, keepInlineQuotes: true));
    }

    [Fact]
    public void Never_returns_empty_text_for_text_with_content()
    {
        Assert.Equal(new CleanedText("", false, false, false), TicketText.Clean(" \r\n "));
        Assert.Equal("Sent from my iPhone", TicketText.Clean("\nSent from my iPhone\n").Text);
        Assert.Equal("-- \nKim", TicketText.Clean("-- \r\nKim").Text);
        Assert.Equal("CONFIDENTIALITY NOTICE: this is private.", TicketText.Clean("CONFIDENTIALITY NOTICE: this is private.").Text);
    }

    [Fact]
    public void Line_breaks_become_LF_and_very_long_lines_are_never_tried_as_markers()
    {
        Assert.Equal("Line one\nLine two", TicketText.Clean("Line one\r\nLine two\r\rOn Mon, 2 Mar 2026, IT wrote:\r\n> x").Text);
        var longLine = "On " + new string('x', 600) + " wrote:";
        Assert.Equal($"Hi\n{longLine}", TicketText.Clean($"Hi\n{longLine}").Text);
    }

    [Fact]
    public void Refuses_null() => Assert.Throws<ArgumentNullException>(() => TicketText.Clean(null!));
}
