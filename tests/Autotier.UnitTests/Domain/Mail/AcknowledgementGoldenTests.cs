using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Mail;

/// <summary>
/// The acknowledgement is byte for byte the TypeScript one. Every expected string below came from the
/// TS build (acknowledgementMail from dist/src/domain/messages.js) on the same ticket.
/// </summary>
public sealed class AcknowledgementGoldenTests
{
    private static readonly Ticket Ticket = new(
        "T-1042", "demo", new Requester("Sam Lee", "sam@demo.example"), "Printer <offline> & \"stuck\"", "", null,
        Channel.Api, Stage.Received, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private const string PlainSubject = "[#T-1042] We've got your request: Printer <offline> & \"stuck\"";

    private const string PlainText =
        "Hi Sam,\n\n"
            + "Thanks for getting in touch. We've received your request \"Printer <offline> & \"stuck\"\" and it's now in our queue. Your reference number is T-1042.\n\n"
            + "We'll look at it straight away. If it's something we can sort out quickly, you'll hear from us in a few minutes with the steps. If it needs one of our engineers, we'll tell you who has it and when to expect an answer.\n\n"
            + "If you want to add anything, just reply to this email and keep the reference in the subject.\n\n"
            + "Your IT support team";

    private const string PlainHtml =
        "<p>Hi Sam,</p>\n"
            + "<p>Thanks for getting in touch. We&#39;ve received your request &quot;Printer &lt;offline&gt; &amp; &quot;stuck&quot;&quot; and it&#39;s now in our queue. Your reference number is T-1042.</p>\n"
            + "<p>We&#39;ll look at it straight away. If it&#39;s something we can sort out quickly, you&#39;ll hear from us in a few minutes with the steps. If it needs one of our engineers, we&#39;ll tell you who has it and when to expect an answer.</p>\n"
            + "<p>If you want to add anything, just reply to this email and keep the reference in the subject.</p>\n"
            + "<p>Your IT support team</p>";

    private const string UncheckedSubject = "[#T-1001] We've got your request: Printer Bcc: everyone@demo.example x";

    private const string UncheckedText =
        "Hello,\n\n"
            + "Thanks for getting in touch. We've received your request \"Printer\r\n"
            + "Bcc: everyone@demo.example\u2028x\" and it's now in our queue. Your reference number is T-1001.\n\n"
            + "We'll look at it straight away. If it's something we can sort out quickly, you'll hear from us in a few minutes with the steps. If it needs one of our engineers, we'll tell you who has it and when to expect an answer.\n\n"
            + "If you want to add anything, just reply to this email and keep the reference in the subject.\n\n"
            + "Your IT support team";

    private const string UncheckedHtml =
        "<p>Hello,</p>\n"
            + "<p>Thanks for getting in touch. We&#39;ve received your request &quot;Printer\r<br>Bcc: everyone@demo.example\u2028x&quot; and it&#39;s now in our queue. Your reference number is T-1001.</p>\n"
            + "<p>We&#39;ll look at it straight away. If it&#39;s something we can sort out quickly, you&#39;ll hear from us in a few minutes with the steps. If it needs one of our engineers, we&#39;ll tell you who has it and when to expect an answer.</p>\n"
            + "<p>If you want to add anything, just reply to this email and keep the reference in the subject.</p>\n"
            + "<p>Your IT support team</p>";

    private const string EverythingSubject = "[#T-1042] We've got your request: it's <b> line";

    private const string EverythingText =
        "Hello,\n\n"
            + "Thanks for getting in touch. We've received your request \"it's <b>\n"
            + "line\" and it's now in our queue. Your reference number is T-1042 (ticket 601 with our service desk).\n\n"
            + "We'll look at it straight away. If it's something we can sort out quickly, you'll hear from us in a few minutes with the steps. If it needs one of our engineers, we'll tell you who has it and when to expect an answer.\n\n"
            + "If you want to add anything, just reply to this email and keep the reference in the subject.\n\n"
            + "You can follow it, answer and reply on its page too: https://support.example/api/portal/demo/tickets/T-1042?token=abc.def\n\n"
            + "Your IT support team";

    private const string EverythingHtml =
        "<p>Hello,</p>\n"
            + "<p>Thanks for getting in touch. We&#39;ve received your request &quot;it&#39;s &lt;b&gt;<br>line&quot; and it&#39;s now in our queue. Your reference number is T-1042 (ticket 601 with our service desk).</p>\n"
            + "<p>We&#39;ll look at it straight away. If it&#39;s something we can sort out quickly, you&#39;ll hear from us in a few minutes with the steps. If it needs one of our engineers, we&#39;ll tell you who has it and when to expect an answer.</p>\n"
            + "<p>If you want to add anything, just reply to this email and keep the reference in the subject.</p>\n"
            + "<p>You can follow it, answer and reply on its page too: https://support.example/api/portal/demo/tickets/T-1042?token=abc.def</p>\n"
            + "<p>Your IT support team</p>";

    [Fact]
    public void A_ticket_without_a_PSA_number_or_status_link()
    {
        Assert.Equal(
            new MailMessage("sam@demo.example", PlainSubject, PlainText, PlainHtml),
            Messages.Acknowledgement(Ticket));
    }

    [Fact]
    public void A_ticket_stored_before_the_checks_no_name_and_line_breaks_in_its_subject()
    {
        var ticket = Ticket with
        {
            TicketId = "T-1001",
            Requester = new Requester(null, "a@demo.example"),
            Subject = "Printer\r\nBcc: everyone@demo.example\u2028x",
        };

        Assert.Equal(
            new MailMessage("a@demo.example", UncheckedSubject, UncheckedText, UncheckedHtml),
            Messages.Acknowledgement(ticket));
    }

    [Fact]
    public void A_ticket_with_a_PSA_number_and_a_status_link_and_a_name_starting_with_a_space()
    {
        var ticket = Ticket with
        {
            Requester = new Requester(" Sam", "a@demo.example"),
            Subject = "it's <b>\nline",
            ExternalNumber = "601",
            StatusLink = "https://support.example/api/portal/demo/tickets/T-1042?token=abc.def",
        };

        Assert.Equal(
            new MailMessage("a@demo.example", EverythingSubject, EverythingText, EverythingHtml),
            Messages.Acknowledgement(ticket));
    }
}
