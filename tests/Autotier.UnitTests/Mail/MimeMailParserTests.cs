using Autotier.Adapters.Mail;
using Autotier.Domain.Mail;
using Autotier.Domain.Text;
using Autotier.LocalHost;
using Xunit;

namespace Autotier.UnitTests.Mail;

/// <summary>The TypeScript tests/unit/adapters/mail/mimeParser.test.ts on the same .eml fixtures (tests/fixtures/mail, sources beside them).</summary>
public sealed class MimeMailParserTests
{
    private static readonly MimeMailParser Parser = new();

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(RepositoryRoot.Find(), "tests", "fixtures", "mail", name));

    private static InboundMail Parse(string name) => Parser.Parse(Fixture(name), CancellationToken.None);

    private static string Stripped(string text) => TicketText.Clean(text, keepInlineQuotes: true).Text;

    [Fact(Timeout = 10_000)]
    public async Task PlainTextGivesSenderIdsAndTextAndTheSignatureGoesWhenHistoryIsStripped()
    {
        await Task.Yield();
        var m = Parse("plain.eml");
        Assert.Equal(("kim.park@demo.example", "Kim Park"), (m.FromEmail, m.FromName));
        Assert.Equal("plain-001@demo.example", m.MessageId);
        Assert.Equal("Printer at reception shows offline", m.Subject);
        Assert.Contains("restarted it – no change", m.Text, StringComparison.Ordinal);
        Assert.False(m.Automatic);
        Assert.DoesNotContain("01234 567890", Stripped(m.Text), StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task HtmlWithScriptsTrackingPixelsFramesAndFormsKeepsOnlyTheWords()
    {
        await Task.Yield();
        var m = Parse("html-tracking.eml");
        Assert.Contains("FortiClient says \"Unable to establish the VPN connection\" when I work from home.", m.Text, StringComparison.Ordinal);
        foreach (var bad in new[] { "tracker", "evil", "document.cookie", "color: red", "<script", "<img" })
            Assert.DoesNotContain(bad, m.Text, StringComparison.OrdinalIgnoreCase);
        Assert.False(m.Cut);
    }

    [Fact(Timeout = 10_000)]
    public async Task AnOutlookReplyHasThreadingHeadersAndOnlyTheNewTextOnceHistoryIsStripped()
    {
        await Task.Yield();
        var m = Parse("reply-outlook.eml");
        Assert.Equal("reply-to-placeholder", InboundMailRules.NormalizeMessageId(m.InReplyTo!));
        Assert.Equal(["REPLY-TO-PLACEHOLDER"], m.References);
        Assert.Equal("No, it still says my account is locked.\n\nKim", Stripped(m.Text));
    }

    [Fact(Timeout = 10_000)]
    public async Task AGmailReplyWithAWrappedWroteLineAndQuotes()
    {
        await Task.Yield();
        var m = Parse("reply-gmail.eml");
        Assert.Equal("Yes, that fixed it, thank you!", Stripped(m.Text));
        Assert.Null(InboundMailRules.TicketIdFromSubject(m.Subject));
        Assert.Equal("T-1042", InboundMailRules.TicketIdFromSubject("Re: [#T-1042] Getting back in"));
    }

    [Fact(Timeout = 10_000)]
    public async Task NonUtf8CharsetsIso88591QuotedPrintableIso2022JpWindows1252()
    {
        await Task.Yield();
        var fr = Parse("latin1.eml");
        Assert.Equal("René Dupré", fr.FromName);
        Assert.Equal("Imprimante hors ligne à l'accueil", fr.Subject);
        Assert.Contains("affiche « hors ligne » depuis ce matin", fr.Text, StringComparison.Ordinal);
        var jp = Parse("iso2022jp.eml");
        Assert.Equal("プリンターの問題", jp.Subject);
        Assert.Contains("受付のプリンターが朝から使えません。", jp.Text, StringComparison.Ordinal);
        Assert.Contains("“Cannot start Microsoft Outlook” – since the update", Parse("windows1252.eml").Text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task AForwardedMailKeepsTheForwardedTextAndLosesTheFwdPrefix()
    {
        await Task.Yield();
        var m = Parse("forwarded.eml");
        Assert.Equal("Printer error 49.4C02", InboundMailRules.CleanSubject(m.Subject));
        Assert.True(InboundMailRules.IsForward(m.Subject));
        Assert.Contains("shows error 49.4C02 and will not print", m.Text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task AttachmentsAreKeptWithTheirNamesAndTypesAndInlinePicturesAreNot()
    {
        await Task.Yield();
        var m = Parse("attachments.eml");
        Assert.Contains("Acrobat shows an error when I open invoices", m.Text, StringComparison.Ordinal);
        var pdf = Assert.Single(m.Attachments);
        Assert.Equal(("invoice-2231.pdf", "application/pdf"), (pdf.Filename, pdf.ContentType));
        Assert.Equal("%PDF-"u8.ToArray(), pdf.Content[..5]);
    }

    [Fact(Timeout = 10_000)]
    public async Task RecognisesAutomaticReplies()
    {
        await Task.Yield();
        Assert.True(Parse("out-of-office.eml").Automatic);
        foreach (var header in new[] { "Auto-Submitted: auto-replied", "Precedence: bulk", "Precedence: list", "X-Autoreply: yes" })
            Assert.True(Parser.Parse(System.Text.Encoding.ASCII.GetBytes($"From: a@demo.example\r\n{header}\r\nSubject: x\r\n\r\nbody"), CancellationToken.None).Automatic, header);
        Assert.False(Parser.Parse("From: a@demo.example\r\nAuto-Submitted: no\r\nSubject: x\r\n\r\nbody"u8.ToArray(), CancellationToken.None).Automatic);
    }

    [Fact(Timeout = 10_000)]
    public async Task RefusesAMailWithNoSender()
    {
        await Task.Yield();
        var e = Assert.Throws<FormatException>(() => Parser.Parse("Subject: hi\r\n\r\nbody"u8.ToArray(), CancellationToken.None));
        Assert.Contains("no From address", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task EveryPublicParserFixtureParsesOrIsRefusedAsNotAMail()
    {
        await Task.Yield();
        var dir = Path.Combine(RepositoryRoot.Find(), "tests", "fixtures", "mail", "public");
        var files = Directory.GetFiles(dir, "*.eml");
        Assert.True(files.Length >= 9);
        foreach (var file in files)
        {
            try
            {
                var m = Parser.Parse(File.ReadAllBytes(file), CancellationToken.None);
                Assert.Contains('@', m.FromEmail);
            }
            catch (FormatException)
            {
                // Kept for review by the intake: not a failure.
            }
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task CleansSubjectsOfReplyAndForwardPrefixesInSeveralLanguagesAndOfTheTicketToken()
    {
        await Task.Yield();
        Assert.Equal("VPN down", InboundMailRules.CleanSubject("RE: AW: Fwd: [#T-1001] VPN down"));
        Assert.Equal("Drucker", InboundMailRules.CleanSubject("SV: WG: Drucker"));
    }
}
