using Autotier.Application.Playbooks;
using Autotier.Domain.Alerts;
using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;
using Autotier.TestSupport.Durable;
using Microsoft.DurableTask.Client;
using Xunit;
using Xunit.Abstractions;

namespace Autotier.UnitTests.Workflow;

/// <summary>
/// Issue #32's "done when": a week on the virtual clock with about thirty realistic tickets over
/// two clients (an outage reported five times, security incidents, guides answered, ignored and
/// refused, engineering work planned and forgotten, uncertain tickets, reopens). At the end no
/// breached ticket is left without a next deadline, no audience gets more than a bounded number of
/// posts an hour (through the delivery's digest rule), every security P1 mail carries its advice,
/// and an incident pages once.
/// </summary>
public sealed class WeekSimulationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LifecycleHarness h = null!;
    private readonly Dictionary<string, (string Email, SecurityKind? Security, bool Outage)> filed = [];

    public async Task InitializeAsync()
    {
        // Monday 2 March 2026, 07:55 UTC.
        h = await LifecycleHarness.StartAsync(new DateTimeOffset(2026, 3, 2, 7, 55, 0, TimeSpan.Zero));
        await h.Clients.SaveAsync(new ClientProfile("demo", "Demo Dental Group")
        {
            BusinessHours = new BusinessHours("Europe/London", [1, 2, 3, 4, 5], "08:00", "18:00"),
            EmergencyPhone = "+44 20 7946 0999",
        }, default);
        await h.Clients.SaveAsync(new ClientProfile("acme", "Acme Legal")
        {
            BusinessHours = new BusinessHours("America/New_York", [1, 2, 3, 4, 5], "09:00", "17:00"),
            EmergencyPhone = "+1 212 555 0100",
        }, default);
        h.Playbooks.Answer = r => new PlaybookGuide(new Autotier.Domain.Playbooks.Guide(
            "guide-" + r.Ticket.Classification!.Category, "Steps for " + r.Ticket.Subject, ["Step one", "Step two"]));
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    private static TicketClassification Auto(string category) =>
        new(category, Priorities.P3, 0.9, Routes.Auto, 1, [$"model: {category} 0.9"], DecidedBy: DecidedBy.Model);

    private static TicketClassification Engineering(string priority, int tier) =>
        new(Categories.Engineering, priority, 0.9, Routes.Escalate, tier, ["server: a shared system"], DecidedBy: DecidedBy.Rules);

    private static TicketClassification Security(string rule) =>
        new(Categories.Engineering, Priorities.P1, 0.99, Routes.Escalate, 2, [$"danger: {rule}", "security incident"], Dangerous: true, DecidedBy: DecidedBy.Rules);

    private static readonly TicketClassification Outage =
        new(Categories.Engineering, Priorities.P1, 0.97, Routes.Escalate, 2, ["outage: the whole office is affected"], DecidedBy: DecidedBy.Rules);

    private int people;

    private async Task<string> FileAsync(string client, TicketClassification c, string subject, string body, SecurityKind? security = null)
    {
        var email = $"user{++people}@{client}.example";
        var id = await h.FileAsync(c, subject, body, clientId: client, acknowledged: security is null, requester: email);
        filed[id] = (email, security, c.Reasons.Any(r => r.StartsWith("outage", StringComparison.Ordinal)));
        return id;
    }

    private Task At(int day, int hour, int minute = 0)
    {
        var when = new DateTimeOffset(2026, 3, 2, hour, minute, 0, TimeSpan.Zero).AddDays(day);
        return when > h.Now ? h.AdvanceAsync(when - h.Now) : Task.CompletedTask;
    }

    [Fact(Timeout = 240_000)]
    public async Task A_week_of_tickets_ends_with_every_breach_owned_bounded_alerts_security_advice_and_one_page_per_incident()
    {
        // Monday morning: the internet goes at Demo; five people say so.
        await At(0, 8, 5);
        string[] outage = ["Internet is down", "No internet in the office", "internet down?", "Wifi connected but no internet", "Internet not working for anyone"];
        var outageIds = new List<string>();
        foreach (var subject in outage)
        {
            outageIds.Add(await FileAsync("demo", Outage, subject, "Since this morning nothing loads."));
            await h.AdvanceAsync(TimeSpan.FromMinutes(3));
        }
        var ransomware = await FileAsync("acme", Security("ransomware (\"encrypted\")"), "All my files are encrypted", "A note says pay bitcoin.", SecurityKind.Ransomware);
        var phish = await FileAsync("demo", Security("phishing (\"entered my password\")"), "I entered my password on a fake page", "The link in the mail looked like Microsoft.", SecurityKind.Credentials);
        var fraud = await FileAsync("acme", Security("payment fraud (\"changed bank details\")"), "Supplier changed bank details, may I pay?", "They want the invoice paid today to a new account.", SecurityKind.PaymentFraud);

        // Guides through the day: some answered, some refused, some ignored.
        var yes = new List<string>();
        var no = new List<string>();
        var silent = new List<string>();
        string[] categories = [Categories.PasswordReset, Categories.VpnRemoteAccess, Categories.PrinterPeripheral, Categories.SoftwareError];
        for (var i = 0; i < 8; i++)
        {
            await At(0, 9 + i, 10);
            var id = await FileAsync(i % 2 == 0 ? "demo" : "acme", Auto(categories[i % 4]), $"Problem {i}", "It stopped working this morning.");
            (i % 3 == 0 ? yes : i % 3 == 1 ? no : silent).Add(id);
        }
        foreach (var id in yes) await h.RaiseAsync(id, TicketEvent.ConfirmationOf("yes"));
        foreach (var id in no) await h.RaiseAsync(id, TicketEvent.ConfirmationOf("no"));

        // Engineering work: some planned and fixed, some nobody picks up.
        var planned = new List<string>();
        var forgotten = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await At(0, 10 + i, 30);
            var id = await FileAsync(i % 2 == 0 ? "acme" : "demo", Engineering(i < 3 ? Priorities.P2 : Priorities.P3, 1), $"Shared drive problem {i}", "The S: drive is slow for the team.");
            (i % 3 == 0 ? planned : forgotten).Add(id);
        }
        await h.RaiseAsync(outageIds[0], new TicketEvent(TicketEvent.Plan) { By = "kim", Note = "ISP fault ref 42", PublicNote = "Your internet provider has a fault; we are on it." });
        foreach (var id in planned) await h.RaiseAsync(id, new TicketEvent(TicketEvent.Plan) { By = "alex", Note = "Looking at the file server", PublicNote = "I'm looking at it now." });
        await h.RaiseAsync(ransomware, new TicketEvent(TicketEvent.Plan) { By = "kim", Note = "Isolating the machine", PublicNote = "We have isolated your computer." });

        // Tuesday: the outage is fixed; uncertain tickets; more guides.
        await At(1, 9);
        await h.RaiseAsync(outageIds[0], new TicketEvent(TicketEvent.Resolved) { By = "kim", Note = "ISP fixed the line", PublicNote = "The internet is back." });
        h.Classifier.Answer = Auto(Categories.PasswordReset);
        var unsure = new TicketClassification(Categories.SoftwareError, Priorities.P3, 0.4, Routes.Clarify, 2, ["model: unsure"], Question: "Which program shows the error?");
        var clarified = await FileAsync("demo", unsure, "It does not work", "Help please");
        var unanswered = await FileAsync("acme", unsure, "Weird thing", "Something is wrong");
        await h.ReplyAsync(clarified, "I forgot my password and cannot sign in.");
        foreach (var id in planned.Take(1)) await h.RaiseAsync(id, new TicketEvent(TicketEvent.Resolved) { By = "alex", Note = "Rebuilt the index", PublicNote = "The drive is fast again." });

        // Wednesday: two fixed tickets come back.
        await At(2, 10);
        foreach (var id in yes.Take(2)) await h.RaiseAsync(id, TicketEvent.ReplyFrom(filed[id].Email, "It has stopped working again."));

        // Thursday: a few more guides.
        await At(3, 11);
        for (var i = 0; i < 4; i++) await FileAsync(i % 2 == 0 ? "demo" : "acme", Auto(categories[i]), $"Thursday problem {i}", "Not working.");

        // To Friday evening.
        await At(4, 18);

        Assert.InRange(filed.Count, 28, 34);
        output.WriteLine($"{filed.Count} tickets, {h.Alerts.Alerts.Count} alerts, {h.Mail.Sent.Count} mails");

        // 1. No breached ticket that is still open is left without a next deadline.
        var breachedOpen = 0;
        foreach (var id in filed.Keys)
        {
            var ticket = await h.TicketAsync(id);
            var (status, runtime) = await h.StatusAsync(id);
            Assert.NotEqual(OrchestrationRuntimeStatus.Failed, runtime);
            if (ticket.Stage == Stage.Escalated && ticket.Sla?.Breached == true)
            {
                breachedOpen++;
                Assert.True(status?.NextDeadline is not null, $"{id} is breached and open with nothing pointing at it ({status?.Phase})");
            }
        }
        output.WriteLine($"{breachedOpen} breached tickets still open, each with a next deadline");
        Assert.True(breachedOpen >= forgotten.Count, "the forgotten tickets breach and stay open");

        // 2. Through the delivery's digest rule, no audience gets more than a bounded number of posts an hour.
        var policy = DigestPolicy.Default;
        foreach (var group in h.Alerts.Alerts.GroupBy(Audiences.Of))
        {
            var posts = Posts([.. group.OrderBy(a => a.At)], group.Key, policy);
            var busiest = posts.Count == 0 ? 0 : posts.Max(p => posts.Count(q => q >= p && q < p + TimeSpan.FromHours(1)));
            output.WriteLine($"{group.Key}: {group.Count()} alerts, {posts.Count} posts, busiest hour {busiest}");
            Assert.True(busiest <= policy.MaxPostsPerHour, $"{group.Key}: {busiest} posts in one hour");
        }

        // 3. Every security P1's mails carry the advice for its kind and the emergency number; no good news.
        foreach (var (id, (email, security, _)) in filed.Where(f => f.Value.Security is not null))
        {
            var mails = h.MailsTo(email);
            var phone = (await h.Clients.GetAsync((await h.TicketAsync(id)).ClientId, default))!.EmergencyPhone!;
            var advice = SecurityAdvice.Paragraphs(new SecurityNotice(security!.Value, phone));
            // The first mail is the acknowledgement; then "an engineer is on it".
            var first = mails[0];
            var handOver = Assert.Single(mails, m => m.Subject.Contains("An engineer is on it", StringComparison.Ordinal));
            foreach (var mail in new[] { first, handOver })
                Assert.All(advice, p => Assert.Contains(p, mail.Text, StringComparison.Ordinal));
            Assert.DoesNotContain(mails, m => m.Text.Contains("Good news", StringComparison.OrdinalIgnoreCase));
        }

        // 4. One page per incident: the outage's pages all name the ticket that leads it, and every
        //    requester of the outage heard the fix.
        var pagedOutage = h.Alerts.Alerts.Where(a => a.Kind is AlertKinds.P1Page or AlertKinds.P1Repage && outageIds.Contains(a.TicketId)).Select(a => a.TicketId).Distinct().ToList();
        Assert.Equal([outageIds[0]], pagedOutage);
        foreach (var id in outageIds)
            Assert.Contains(h.MailsTo(filed[id].Email), m => m.Text.Contains("The internet is back.", StringComparison.Ordinal));

        // And the rest of the week as it should be.
        Assert.All(yes.Take(2), id => Assert.Equal(1, h.TicketAsync(id).Result.Reopens));
        Assert.Contains(h.Playbooks.Asked, r => r.Ticket.TicketId == clarified);
        Assert.Equal(Stage.Escalated, (await h.TicketAsync(unanswered)).Stage);
    }

    /// <summary>When posts go out for an audience's alerts under the digest rule (singles at once, digests when their window closes).</summary>
    private static List<DateTimeOffset> Posts(IReadOnlyList<AlertFacts> alerts, Audience audience, DigestPolicy policy)
    {
        var posts = new List<DateTimeOffset>();
        var state = AlertDigestState.Empty;
        void FlushUntil(DateTimeOffset until)
        {
            while (AlertDigest.DueAt(state, policy) is { } due && due <= until)
            {
                (state, var batch) = AlertDigest.Flush(state, audience, due, policy);
                if (batch is null) break;
                posts.Add(due);
                state = AlertDigest.Delivered(state, batch.Id);
            }
        }
        foreach (var alert in alerts)
        {
            FlushUntil(alert.At);
            (state, var admission) = AlertDigest.Admit(state, alert, alert.At, policy);
            if (admission == AlertAdmission.Alone) posts.Add(alert.At);
        }
        FlushUntil(DateTimeOffset.MaxValue.AddYears(-1));
        return posts;
    }
}
