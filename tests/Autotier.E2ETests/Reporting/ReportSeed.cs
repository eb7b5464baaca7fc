using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Metrics;

namespace Autotier.E2ETests.Reporting;

/// <summary>
/// Eight weeks of made-up outcome events for one client, written through the app's own stores
/// (as the workflow writes them): guides answered within a minute and confirmed, tickets closed
/// after silence, escalations whose engineer answered 3 to 75 minutes after arrival, a reopen, an
/// open ticket, ratings, interruptions and two major incidents. Deterministic: the same ticket
/// numbers and times every run.
/// </summary>
public static class ReportSeed
{
    /// <summary>Monday 7 September 2026: the first week of the range.</summary>
    public static readonly DateTimeOffset From = new(2026, 9, 7, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset To = From.AddDays(8 * 7);

    private static readonly string[] Categories = ["printer_peripheral", "vpn_remote_access", "password_reset", "software_access", "software_error", "engineering"];

    public static async Task<int> WriteAsync(string clientId, IOutcomeLog outcomes, IIncidentStore incidents, CancellationToken cancellationToken)
    {
        var tickets = 0;
        for (var week = 0; week < 8; week++)
        {
            var count = 12 + week * 5 % 7;
            for (var j = 0; j < count; j++)
            {
                var received = From.AddDays(week * 7 + j % 5).AddHours(9).AddMinutes(j * 17);
                var id = $"T-{5000 + week * 100 + j}";
                var events = Ticket(clientId, id, received, Categories[(week + j) % Categories.Length], (week * 7 + j) % 10, j);
                await outcomes.RecordAsync(events, cancellationToken);
                if (events.Any(e => e.Kind == OutcomeKinds.Escalated))
                {
                    await outcomes.RecordInterruptionAsync(
                        new Interruption(clientId, id, $"{AlertKinds.Escalation}-1", received.AddSeconds(5), AlertKinds.Escalation, 1), cancellationToken);
                }
                tickets++;
            }
        }
        await incidents.TryCreateAsync(new Incident("I-ransom", clientId, "security:ransomware", "T-5302", From.AddDays(21).AddHours(9).AddMinutes(34),
            From.AddDays(21).AddHours(10), ["T-5302", "T-5303", "T-5304"], "files encrypted ransom", Closed: true), cancellationToken);
        await incidents.TryCreateAsync(new Incident("I-outage", clientId, "outage", "T-5705", From.AddDays(49).AddHours(9).AddMinutes(85),
            From.AddDays(49).AddHours(11), ["T-5705", "T-5706"], "internet down office", Closed: false), cancellationToken);
        return tickets;
    }

    private static List<OutcomeEvent> Ticket(string clientId, string id, DateTimeOffset received, string category, int outcome, int j)
    {
        var events = new List<OutcomeEvent>();
        void Add(string step, TimeSpan after, string kind, Func<OutcomeEvent, OutcomeEvent>? with = null)
        {
            var e = new OutcomeEvent(clientId, id, received, step, received + after, kind) { ResponseDue = received.AddHours(1) };
            events.Add(with is null ? e : with(e));
        }
        var guideAfter = TimeSpan.FromSeconds(20 + j * 7 % 50);
        var escalate = category == "engineering" || outcome is 6 or 7 or 9;
        Add("received", TimeSpan.Zero, OutcomeKinds.Received, e => e with { Channel = "email" });
        Add("acknowledged", TimeSpan.FromSeconds(2), OutcomeKinds.Acknowledged);
        Add("classified", TimeSpan.FromSeconds(3), OutcomeKinds.Classified, e => e with { Category = category, Priority = "P3", Tier = 1, Route = escalate ? "escalate" : "auto" });
        if (escalate)
        {
            Add("escalated-0", TimeSpan.FromSeconds(5), OutcomeKinds.Escalated, e => e with { Tier = 1, Reason = "needs an engineer", Cycle = 0 });
            if (outcome == 9 && j % 3 == 0) return events; // still waiting for a person
            var answer = TimeSpan.FromMinutes(3 + j * 9 % 73);
            Add("responded-plan", answer, OutcomeKinds.Responded, e => e with { By = "person", Via = "plan" });
            Add("plan", answer, OutcomeKinds.Plan, e => e with { Tier = 1 });
            Add("resolved-engineer", answer + TimeSpan.FromHours(2 + j % 3), OutcomeKinds.Resolved, e => e with { By = "engineer", Cycle = 0 });
            Add("closed", TimeSpan.FromDays(8), OutcomeKinds.Closed);
            if (j % 2 == 0) Add("rated", answer + TimeSpan.FromHours(5), OutcomeKinds.Rated, e => e with { Score = 4 + j % 2 });
            return events;
        }
        Add("playbook-1", guideAfter, OutcomeKinds.Playbook, e => e with { Result = "guide_sent", ArticleId = category });
        Add("responded-playbook-1", guideAfter, OutcomeKinds.Responded, e => e with { By = "automation", Via = "guide" });
        if (outcome == 5)
        {
            Add("answered", TimeSpan.FromHours(48), OutcomeKinds.Answered, e => e with { Answer = "silence" });
            Add("resolved-silence", TimeSpan.FromHours(48), OutcomeKinds.Resolved, e => e with { By = "silence", Cycle = 0 });
            return events;
        }
        Add("answered", TimeSpan.FromMinutes(25), OutcomeKinds.Answered, e => e with { Answer = "yes" });
        Add("resolved-requester", TimeSpan.FromMinutes(25), OutcomeKinds.Resolved, e => e with { By = "requester", Cycle = 0 });
        if (outcome == 8)
        {
            Add("reopened-1", TimeSpan.FromDays(2), OutcomeKinds.Reopened, e => e with { Reopens = 1 });
            Add("escalated-1", TimeSpan.FromDays(2), OutcomeKinds.Escalated, e => e with { Tier = 1, Reason = "reopened", Cycle = 1 });
            Add("resolved-engineer-1", TimeSpan.FromDays(2) + TimeSpan.FromHours(3), OutcomeKinds.Resolved, e => e with { By = "engineer", Cycle = 1 });
        }
        Add("closed", TimeSpan.FromDays(8), OutcomeKinds.Closed);
        if (j % 3 == 0) Add("rated", TimeSpan.FromMinutes(26), OutcomeKinds.Rated, e => e with { Score = 5 - j % 2 });
        return events;
    }

    /// <summary>The client's profile: hours in London, the MSP's and the client's names, logos and contacts.</summary>
    public static ClientProfile Profile(string clientId, string mspLogo, string clientLogo) => new(clientId, "Northwind Dental Practice")
    {
        BusinessHours = new BusinessHours("Europe/London", [1, 2, 3, 4, 5], "08:00", "18:00"),
        Branding = new Branding
        {
            MspName = "Contoso Managed IT",
            MspLogo = mspLogo,
            MspContact = "help@contoso.example · +44 20 7946 0000",
            ClientLogo = clientLogo,
            ClientContact = "Practice manager: Anna Price",
        },
    };
}
