using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Mail;

/// <summary>tests/unit/domain/messages.test.ts and portal.test.ts: what the acknowledgement says and when.</summary>
public sealed class AcknowledgementTests
{
    private static Ticket TicketOf(string ticketId, string subject, Channel channel) => Ticket.Create(
        ticketId,
        new NewTicket("demo", new Requester("Sam Lee", "sam@demo.example"), subject, "", null, channel),
        DateTimeOffset.UnixEpoch);

    [Fact]
    public void Threads_by_the_subject_token_and_names_the_reference()
    {
        var mail = Messages.Acknowledgement(TicketOf("T-1042", "Printer <offline> & \"stuck\"", Channel.Api));

        Assert.Equal("sam@demo.example", mail.To);
        Assert.StartsWith("[#T-1042] ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("reference number is T-1042", mail.Text, StringComparison.Ordinal);
        Assert.StartsWith("Hi Sam,", mail.Text, StringComparison.Ordinal);
        Assert.Null(mail.ReplyTo);
    }

    [Fact]
    public void Escapes_the_requester_supplied_subject_in_HTML()
    {
        var mail = Messages.Acknowledgement(TicketOf("T-1042", "Printer <offline> & \"stuck\"", Channel.Api));

        Assert.DoesNotContain("<offline>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;offline&gt; &amp; &quot;stuck&quot;", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_PSA_ticket_only_when_it_is_already_known()
    {
        var ticket = TicketOf("T-1043", "VPN drops", Channel.Portal);
        var opened = ticket with { PsaTicket = new PsaTicketRef("autotask", "9001", "T20260302.9001") };

        Assert.DoesNotContain("service desk", Messages.Acknowledgement(ticket).Text, StringComparison.Ordinal);
        Assert.Contains("T-1043 (ticket T20260302.9001 with our service desk)", Messages.Acknowledgement(opened).Text, StringComparison.Ordinal);
        Assert.Contains("T-1043 (ticket 601 with our service desk)", Messages.Acknowledgement(ticket with { ExternalNumber = "601" }).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_external_number_hides_the_PSA_ticket_as_in_the_TS()
    {
        // TS: externalNumber ?? psaTicket.number keeps "", which is falsy, so nothing is named.
        var ticket = TicketOf("T-1043", "VPN drops", Channel.Portal) with
        {
            ExternalNumber = "",
            PsaTicket = new PsaTicketRef("autotask", "9001", "T2"),
        };

        Assert.Contains("reference number is T-1043.", Messages.Acknowledgement(ticket).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Links_to_the_status_page_when_the_ticket_has_one_and_says_nothing_of_it_otherwise()
    {
        var ticket = TicketOf("T-1001", "x", Channel.Portal);
        const string link = "https://support.example/api/portal/demo/tickets/T-1001?token=abc.def";

        Assert.Contains(link, Messages.Acknowledgement(ticket with { StatusLink = link }).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("portal", Messages.Acknowledgement(ticket).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_carries_a_line_break_into_the_subject()
    {
        var ticket = TicketOf("T-1001", "x", Channel.Api) with { Subject = "Printer\r\nBcc: everyone@demo.example\u2028x" };

        var mail = Messages.Acknowledgement(ticket);

        Assert.DoesNotMatch("[\r\n\u2028]", mail.Subject);
        Assert.Contains("Printer Bcc: everyone@demo.example x", mail.Subject, StringComparison.Ordinal);
    }
}
