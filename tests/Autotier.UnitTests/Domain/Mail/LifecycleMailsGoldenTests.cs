using System.Globalization;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Domain.Mail;

/// <summary>
/// Every mail after the acknowledgement is byte for byte the TypeScript one where the TypeScript has
/// it: the expected values (<see cref="LifecycleMailsGolden"/>) came from the TS build on the same
/// tickets (scripts/lifecycle-mails-golden.js).
/// </summary>
public sealed class LifecycleMailsGoldenTests
{
    private static readonly Ticket Base = new(
        "T-1042", "demo", new Requester("Sam Lee", "sam@demo.example"), "Printer <offline> & \"stuck\"", "", null,
        Channel.Api, Stage.Received, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static readonly Ticket Psa = Base with
    {
        TicketId = "T-1043",
        Requester = new Requester(null, "a@demo.example"),
        Subject = "it's\nVPN",
        PsaTicket = new PsaTicketRef("autotask", "9001", "T20260302.9001"),
    };

    private static readonly ConfirmLinks Links = new("https://x.example/c?a=yes&t=1", "https://x.example/c?a=no&t=1");
    private static readonly GuideText Guide = new("Printer offline", ["Turn it off & on", "Check the <cable>"]);
    private static readonly RatingLinks Rating = new("https://x.example/r/1?t=a&b", "https://x.example/r/2", "https://x.example/r/3", "https://x.example/r/4", "https://x.example/r/5");
    private static readonly InlineImage Image = new("step1@autotier", "step1.png", "image/png", "AAAA");
    private static readonly DateTimeOffset Due = DateTimeOffset.Parse("2026-03-02T09:05:00Z", CultureInfo.InvariantCulture);

    private static readonly Dictionary<string, Func<MailMessage>> CSharp = new()
    {
        ["GuidePlain"] = () => Messages.Guide(Base, Guide, Links),
        ["GuideIntroImages"] = () => Messages.Guide(Psa, Guide with { Intro = "Your site has its own steps:" }, Links, [Image]),
        ["Reminder"] = () => Messages.Reminder(Base, Guide, Links),
        ["Resolved"] = () => Messages.Resolved(Base, "restarted the \"spooler\""),
        ["ResolvedRated"] = () => Messages.Resolved(Base, "restarted the \"spooler\"", Rating),
        // The TS promised whatever time it was given; with no person yet it is the response due time.
        ["EscalatedBy"] = () => Messages.Escalated(Base, new EscalationPromise(Due, Due.AddHours(4), false, "Europe/London"),
            "We couldn't match your email address to a work account."),
        ["EscalatedPsa"] = () => Messages.Escalated(Psa, EscalationPromise.None("Europe/London")),
        ["HandedUp"] = () => Messages.HandedUp(Base),
        ["Plan"] = () => Messages.Plan(Base),
        ["PlanPublic"] = () => Messages.Plan(Base, "Replacing the toner & drum"),
        ["ResolvedByEngineer"] = () => Messages.ResolvedByEngineer(Base),
        ["ResolvedByEngineerRated"] = () => Messages.ResolvedByEngineer(Base, "Replaced the <drum>", Rating),
        ["Clarify"] = () => Messages.Clarify(Base, Guide, Links),
        ["ClarifyAfterClose"] = () => Messages.ClarifyAfterClose(Base),
        ["ClosedUnconfirmed"] = () => Messages.ClosedUnconfirmed(Base),
        ["ClosedUnconfirmedRated"] = () => Messages.ClosedUnconfirmed(Base, Rating),
        ["Reopened"] = () => Messages.Reopened(Base),
        ["TemporaryAccessPass"] = () => Messages.TemporaryAccessPass("sam.home@example.org", "Sam Lee", "Abc!123&", 60, "T-1042"),
        ["TemporaryAccessPassNoName"] = () => Messages.TemporaryAccessPass("sam.home@example.org", null, "x", 5, "T-1042"),
    };

    public static TheoryData<string> Cases => new(LifecycleMailsGolden.Mails.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_TypeScript_mail(string name)
    {
        var (to, subject, text, html) = LifecycleMailsGolden.Mails[name];
        var mail = CSharp[name]();
        Assert.Equal(to, mail.To);
        Assert.Equal(subject, mail.Subject);
        Assert.Equal(text, mail.Text);
        Assert.Equal(html, mail.Html);
    }

    [Fact]
    public void Every_golden_has_its_CSharp_mail() => Assert.Equal(LifecycleMailsGolden.Mails.Keys.Order(), CSharp.Keys.Order());

    [Fact]
    public void A_guide_with_pictures_carries_them_and_one_without_carries_none()
    {
        Assert.Equal([Image], Messages.Guide(Base, Guide, Links, [Image]).Images);
        Assert.Null(Messages.Guide(Base, Guide, Links).Images);
    }

    public static TheoryData<string, string, string> Times
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var (at, zone, friendly) in LifecycleMailsGolden.Times) data.Add(at, zone, friendly);
            return data;
        }
    }

    /// <summary>Intl.DateTimeFormat('en-GB') in the client's zone, summer time and its edges included.</summary>
    [Theory]
    [MemberData(nameof(Times))]
    public void Friendly_time_matches_the_TypeScript(string at, string timeZone, string friendly) =>
        Assert.Equal(friendly, Messages.FriendlyTime(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture), timeZone));

    [Fact]
    public void Friendly_time_refuses_a_zone_the_tz_database_does_not_know()
    {
        var error = Assert.Throws<ArgumentException>(() => Messages.FriendlyTime(Due, "Mars/Olympus"));
        Assert.Contains("Mars/Olympus", error.Message, StringComparison.Ordinal);
    }
}
