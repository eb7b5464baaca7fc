using System.Globalization;
using Autotier.Domain.Classification;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Mail;

/// <summary>
/// Issue #32, fix 2 (an escalation promises the response due time until a person responds, then the
/// resolution time) and fix 6 (an uncertain ticket gets one clarifying question, in the requester's
/// language), plus what tests/unit/domain/messages.test.ts pins about the escalation mail.
/// </summary>
public sealed class EscalationAndClarifyMailTests
{
    private static readonly Ticket Ticket = new(
        "T-1043", "demo", new Requester("Sam Lee", "sam@demo.example"), "VPN drops", "", null,
        Channel.Portal, Stage.Received, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    // A P1 escalated at 09:00 London time: a person must respond by 09:15, the fix is due by 13:00.
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-02T09:00:00Z", CultureInfo.InvariantCulture);
    private static readonly EscalationPromise P1 = new(Now.AddMinutes(15), Now.AddHours(4), PersonResponded: false, "Europe/London");

    [Fact]
    public void Promises_the_response_time_while_no_person_has_responded()
    {
        var text = Messages.Escalated(Ticket, P1).Text;

        Assert.Contains("You can expect to hear from them by Monday 2 March at 09:15.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("13:00", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Promises_the_resolution_time_once_a_person_has_responded()
    {
        var text = Messages.Escalated(Ticket, P1 with { PersonResponded = true }).Text;

        Assert.Contains("We aim to have it sorted by Monday 2 March at 13:00.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("09:15", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hear from them by", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_response_window_it_says_they_will_be_in_touch_and_when_the_fix_is_due()
    {
        var text = Messages.Escalated(Ticket, P1 with { ResponseDue = null }).Text;

        Assert.Contains("They will be in touch as soon as they can. We aim to have it sorted by Monday 2 March at 13:00.", text, StringComparison.Ordinal);
        Assert.Contains("They will be in touch as soon as they can.", Messages.Escalated(Ticket, EscalationPromise.None("Europe/London")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_the_time_in_the_client_s_zone()
    {
        var text = Messages.Escalated(Ticket, P1 with { TimeZone = "America/New_York" }).Text;
        Assert.Contains("by Monday 2 March at 04:15.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_handed_up_mail_says_when_to_expect_to_hear_when_it_is_given_a_promise()
    {
        Assert.Contains("You don't need to do anything. You can expect to hear from them by Monday 2 March at 09:15.",
            Messages.HandedUp(Ticket, P1).Text, StringComparison.Ordinal);
        Assert.Contains("You don't need to do anything. We'll be in touch.", Messages.HandedUp(Ticket).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_PSA_ticket_once_autotier_has_opened_it_and_only_then()
    {
        var opened = Ticket with { PsaTicket = new PsaTicketRef("autotask", "9001", "T20260302.9001") };
        var mail = Messages.Escalated(opened, EscalationPromise.None("Europe/London"));

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(mail.Text, @"ticket T20260302\.9001 with our service desk \(our reference T-1043\)"));
        Assert.Contains("ticket T20260302.9001 with our service desk", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("service desk", Messages.Escalated(Ticket, EscalationPromise.None("Europe/London")).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Hi Sam,", "A quick question about your request", "Your IT support team")]
    [InlineData("de", "Hallo Sam,", "Eine kurze Frage zu Ihrer Anfrage", "Ihr IT-Support-Team")]
    [InlineData("es", "Hola, Sam:", "Una pregunta rápida sobre su solicitud", "Su equipo de soporte informático")]
    [InlineData("fr", "Bonjour Sam,", "Une petite question sur votre demande", "Votre équipe de support informatique")]
    [InlineData("nl", "Hallo Sam,", "Een korte vraag over uw verzoek", "Uw IT-supportteam")]
    public void An_uncertain_ticket_gets_its_one_question_framed_in_the_requester_s_language(string language, string hello, string subject, string signOff)
    {
        var question = Clarify.QuestionFor(language);
        var classification = new TicketClassification(Categories.SoftwareError, Priorities.P3, 0.3, Routes.Clarify, 1, ["unsure"],
            Question: question, Language: language);
        var ticket = Ticket with { Classification = classification };

        var mail = Messages.ClarifyUncertain(ticket, classification.Question!);

        Assert.Equal($"[#T-1043] {subject}: VPN drops", mail.Subject);
        Assert.Equal($"{hello}\n\n{question}\n\n", mail.Text[..(hello.Length + question.Length + 4)]);
        Assert.Contains("T-1043", mail.Text, StringComparison.Ordinal);
        Assert.EndsWith(signOff, mail.Text, StringComparison.Ordinal);
        // One question, nothing to click: the reply is the answer.
        Assert.Single(mail.Text, '?');
        Assert.DoesNotContain("http", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_uncertain_ticket_s_frame_falls_back_to_English_and_to_Hello_without_a_name()
    {
        var ticket = Ticket with { Requester = new Requester(null, "a@demo.example") };
        var mail = Messages.ClarifyUncertain(ticket, Clarify.QuestionFor(null), language: "pt");
        Assert.StartsWith("Hello,\n\n", mail.Text, StringComparison.Ordinal);
        Assert.StartsWith("[#T-1043] A quick question about your request: ", mail.Subject, StringComparison.Ordinal);
    }
}
