using System.Text.RegularExpressions;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Mail;

/// <summary>
/// Issue #32, fix 1: a security ticket's first mails carry containment advice for its kind and the
/// MSP's emergency number, and no mail of a security ticket or a disabled account says "good news" or
/// "resolved".
/// </summary>
public sealed class SecurityMailTests
{
    private const string Phone = "+44 20 7946 0000";

    private static Ticket TicketOf(string subject, string body) => Ticket.Create(
        "T-2001",
        new NewTicket("demo", new Requester("Sam Lee", "sam@demo.example"), subject, body, null, Channel.Email)
        {
            Classification = TicketClassifier.Classify(subject, body),
        },
        DateTimeOffset.UnixEpoch);

    public static TheoryData<string, string, SecurityKind?> Tickets => new()
    {
        { "Files encrypted", "All the files on my laptop are encrypted and there is a ransom note asking for bitcoin.", SecurityKind.Ransomware },
        { "Clicked a link", "I clicked a link in an email that looked fake and typed my password into the page.", SecurityKind.Credentials },
        { "MFA prompts", "I keep getting MFA prompts on my phone but I'm not at my desk, I'm on holiday.", SecurityKind.Credentials },
        { "Sign-in alert", "There was a sign-in to my account from another country. It wasn't me.", SecurityKind.Credentials },
        { "Supplier bank details", "Our supplier emailed to say their bank details have changed. The new IBAN is on the invoice, may I pay it today?", SecurityKind.PaymentFraud },
        { "Request from the MD", "The MD asked me to buy 5 Apple vouchers and send him the codes.", SecurityKind.PaymentFraud },
        { "Phishing mail", "I got a suspicious email claiming to be from the bank. I didn't click anything.", SecurityKind.Other },
        { "Printer offline", "The printer on the second floor says offline.", null },
        { "Internet down", "The internet is down for everyone in the office.", null },
        { "Password reset", "I forgot my password, please reset it.", null },
    };

    [Theory]
    [MemberData(nameof(Tickets))]
    public void Tells_the_kind_of_security_ticket_from_the_classifier_s_reasons(string subject, string body, SecurityKind? kind)
    {
        var ticket = TicketOf(subject, body);
        Assert.Equal(kind, SecurityAdvice.KindOf(ticket.Classification!, subject, body));
        Assert.Equal(kind, SecurityAdvice.KindOf(ticket));
    }

    [Fact]
    public void The_notice_carries_the_kind_and_the_client_s_emergency_number_and_is_null_for_other_tickets()
    {
        var profile = new ClientProfile("demo", "Demo Ltd") { EmergencyPhone = Phone };
        Assert.Equal(new SecurityNotice(SecurityKind.Ransomware, Phone),
            SecurityAdvice.NoticeFor(TicketOf("Files encrypted", "All my files are encrypted, there is a ransom note."), profile));
        Assert.Equal(new SecurityNotice(SecurityKind.Ransomware),
            SecurityAdvice.NoticeFor(TicketOf("Files encrypted", "All my files are encrypted, there is a ransom note."), profile with { EmergencyPhone = null }));
        Assert.Null(SecurityAdvice.NoticeFor(TicketOf("Printer offline", "It says offline"), profile));
    }

    [Fact]
    public void A_rule_in_the_reasons_decides_even_when_the_text_says_nothing()
    {
        var c = new TicketClassification(Categories.Engineering, Priorities.P1, 0.95, Routes.Escalate, 3,
            ["never automated: security incident", "danger: payment fraud (\"iban\")"], Dangerous: true);
        Assert.Equal(SecurityKind.PaymentFraud, SecurityAdvice.KindOf(c, "Question", "Please call me"));
    }

    [Fact]
    public void A_ticket_only_the_learned_check_flagged_is_security_by_its_words_and_an_outage_is_not()
    {
        var learned = new TicketClassification(Categories.Engineering, Priorities.P2, 0.9, Routes.Escalate, 3,
            ["never automated: danger check", "danger: learned check 0.810"], Dangerous: true, DecidedBy: DecidedBy.Model);
        Assert.Equal(SecurityKind.Credentials, SecurityAdvice.KindOf(learned, "Odd thing", "My password seems to have changed by itself"));
        Assert.Equal(SecurityKind.PaymentFraud, SecurityAdvice.KindOf(learned, "Odd thing", "A new supplier wants the payment today"));
        Assert.Null(SecurityAdvice.KindOf(learned, "Server room", "It is very hot in the server room"));
        Assert.Null(SecurityAdvice.KindOf(learned with { Dangerous = false, Reasons = [] }, "Odd thing", "My password seems to have changed by itself"));
    }

    [Theory]
    [InlineData(SecurityKind.Ransomware, "unplug the network cable", "leave the computer switched on")]
    [InlineData(SecurityKind.Credentials, "don't approve any sign-in request", "We are locking the account")]
    [InlineData(SecurityKind.PaymentFraud, "don't make the payment", "phone number you already know")]
    [InlineData(SecurityKind.Other, "don't click links", "don't approve any sign-in request")]
    public void The_acknowledgement_and_the_escalation_mail_carry_the_kind_s_advice_and_the_emergency_number(SecurityKind kind, string advice, string more)
    {
        var ticket = TicketOf("Help", "Something happened");
        var notice = new SecurityNotice(kind, Phone);
        var promise = new EscalationPromise(DateTimeOffset.UnixEpoch.AddMinutes(15), DateTimeOffset.UnixEpoch.AddHours(4), false, "Europe/London");

        foreach (var mail in new[] { Messages.Acknowledgement(ticket, notice), Messages.Escalated(ticket, promise, security: notice) })
        {
            Assert.Contains(advice, mail.Text, StringComparison.Ordinal);
            Assert.Contains(more, mail.Text, StringComparison.Ordinal);
            Assert.Contains($"call us straight away on {Phone}", mail.Text, StringComparison.Ordinal);
            Assert.StartsWith("[#T-2001] ", mail.Subject, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("in our queue", Messages.Acknowledgement(ticket, notice).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_emergency_number_the_advice_names_none()
    {
        var mail = Messages.Acknowledgement(TicketOf("Help", "x"), new SecurityNotice(SecurityKind.Ransomware));
        Assert.Contains("unplug the network cable", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("call us", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ticket_that_is_not_about_security_gets_the_TypeScript_acknowledgement_and_escalation_unchanged()
    {
        var ticket = TicketOf("Printer offline", "It says offline");
        Assert.Equal(Messages.Acknowledgement(ticket), Messages.Acknowledgement(ticket, security: null));
        var escalated = Messages.Escalated(ticket, EscalationPromise.None("Europe/London"));
        Assert.DoesNotContain("unplug", escalated.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("call us", escalated.Text, StringComparison.Ordinal);
    }

    private static readonly Regex Cheerful = new(@"good news|great news|\bresolved\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Every mail a ticket can get, as the lifecycle would send it.</summary>
    private static IEnumerable<(string Name, MailMessage Mail)> EveryMail(Ticket ticket, bool accountDisabled)
    {
        var links = new ConfirmLinks("https://x/yes", "https://x/no");
        var guide = new GuideText("Sign-in help", ["Open the page"]);
        var rating = new RatingLinks("https://x/1", "https://x/2", "https://x/3", "https://x/4", "https://x/5");
        var promise = new EscalationPromise(DateTimeOffset.UnixEpoch.AddMinutes(15), DateTimeOffset.UnixEpoch.AddHours(4), false, "Europe/London");
        var kind = SecurityAdvice.KindOf(ticket);
        var notice = kind is { } k ? new SecurityNotice(k, Phone) : null;
        yield return ("Acknowledgement", Messages.Acknowledgement(ticket, notice));
        yield return ("Guide", Messages.Guide(ticket, guide, links));
        yield return ("Reminder", Messages.Reminder(ticket, guide, links));
        yield return ("Resolved", Messages.Resolved(ticket, "the account was checked", rating, accountDisabled));
        yield return ("Escalated", Messages.Escalated(ticket, promise, null, notice));
        yield return ("EscalatedResponded", Messages.Escalated(ticket, promise with { PersonResponded = true }, null, notice));
        yield return ("HandedUp", Messages.HandedUp(ticket, promise));
        yield return ("Plan", Messages.Plan(ticket, "We are checking the sign-ins"));
        yield return ("ResolvedByEngineer", Messages.ResolvedByEngineer(ticket, "We reset the password", rating, accountDisabled));
        yield return ("ResolvedByEngineerNoNote", Messages.ResolvedByEngineer(ticket, null, null, accountDisabled));
        yield return ("Clarify", Messages.Clarify(ticket, guide, links));
        yield return ("ClarifyUncertain", Messages.ClarifyUncertain(ticket, Clarify.QuestionFor("en")));
        yield return ("ClarifyAfterClose", Messages.ClarifyAfterClose(ticket));
        yield return ("ClosedUnconfirmed", Messages.ClosedUnconfirmed(ticket, rating));
        yield return ("Reopened", Messages.Reopened(ticket));
    }

    [Theory]
    [InlineData("Files encrypted", "All the files are encrypted, there is a ransom note.", false)]
    [InlineData("Sign-in alert", "There was a sign-in to my account from another country. It wasn't me.", false)]
    [InlineData("Supplier bank details", "The supplier's bank details have changed, may I pay the invoice?", false)]
    [InlineData("Can't sign in", "My account says it is disabled.", true)]
    public void No_mail_of_a_security_ticket_or_a_disabled_account_sounds_like_good_news(string subject, string body, bool accountDisabled)
    {
        foreach (var (name, mail) in EveryMail(TicketOf(subject, body), accountDisabled))
        {
            Assert.False(Cheerful.IsMatch(mail.Subject), $"{name}: {mail.Subject}");
            Assert.False(Cheerful.IsMatch(mail.Text), $"{name}: {mail.Text}");
            Assert.False(Cheerful.IsMatch(mail.Html), $"{name}: {mail.Html}");
        }
    }

    [Fact]
    public void An_ordinary_ticket_still_gets_the_good_news_so_the_check_above_can_fail()
    {
        var cheerful = EveryMail(TicketOf("Printer offline", "It says offline"), accountDisabled: false)
            .Where(m => Cheerful.IsMatch(m.Mail.Text)).Select(m => m.Name);
        Assert.Equal(["Resolved", "ResolvedByEngineer", "ResolvedByEngineerNoNote"], cheerful);
    }
}
