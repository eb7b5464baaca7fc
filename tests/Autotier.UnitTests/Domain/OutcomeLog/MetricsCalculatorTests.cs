using System.Text.Json;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Metrics;
using Xunit;

namespace Autotier.UnitTests.Domain.OutcomeLog;

/// <summary>
/// A client's outcome figures (a port of tests/unit/domain/metrics.test.ts, one test per `it`, same
/// inputs and numbers): the per-ticket summary, the figures of ten tickets with known outcomes, and
/// the helpers (re-pages, percentiles, weeks and working days, the query's range).
/// </summary>
public sealed class MetricsCalculatorTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly BusinessHours London = new("Europe/London", [1, 2, 3, 4, 5], "08:00", "18:00");

    /// <summary>Monday 2 March 2026, 10:00 in London (GMT).</summary>
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static long MsOf(TimeSpan span) => (long)span.TotalMilliseconds;

    /// <summary>A fact of an outcome event: the envelope is filled in by <see cref="Ticket"/>.</summary>
    private static OutcomeEvent Fact(string kind) => new("", "", default, "", default, kind);

    /// <summary>A ticket's summary from its outcome events, as the outcome log folds them.</summary>
    private static TicketOutcomes Ticket(int n, DateTimeOffset receivedAt, params (TimeSpan After, OutcomeEvent Fact)[] steps)
    {
        var ticketId = $"T-{1000 + n}";
        OutcomeEvent[] events =
        [
            new("acme", ticketId, receivedAt, "received", receivedAt, OutcomeKinds.Received) { Channel = "api" },
            .. steps.Select((s, i) => s.Fact with
            {
                ClientId = "acme",
                TicketId = ticketId,
                ReceivedAt = receivedAt,
                Step = $"{s.Fact.Kind}-{i}",
                At = receivedAt + s.After,
                ResponseDue = receivedAt + Hour,
            }),
        ];
        return events.Aggregate((TicketOutcomes?)null, TicketOutcomes.Apply)!;
    }

    private static readonly OutcomeEvent Ack = Fact(OutcomeKinds.Acknowledged);
    private static readonly OutcomeEvent Guide = Fact(OutcomeKinds.Responded) with { By = "automation", Via = "guide" };

    private static OutcomeEvent Classified(string category) => Fact(OutcomeKinds.Classified) with
    {
        Category = category,
        Priority = "P3",
        Tier = 1,
        Route = category == "engineering" ? "escalate" : "auto",
    };

    private static OutcomeEvent Resolved(string by, int cycle = 0) => Fact(OutcomeKinds.Resolved) with { By = by, Cycle = cycle };

    private static OutcomeEvent Escalated(int cycle = 0, int tier = 1) => Fact(OutcomeKinds.Escalated) with { Tier = tier, Reason = "r", Cycle = cycle };

    private static OutcomeEvent Closed => Fact(OutcomeKinds.Closed);

    /// <summary>
    /// Ten tickets with known outcomes: 4 confirmed by the requester (1 of them reopened), 2 closed
    /// after silence, 3 escalated and resolved by an engineer, 1 still open.
    /// </summary>
    private static List<TicketOutcomes> TenTickets()
    {
        static DateTimeOffset T(int i) => T0 + i * Day;
        static TicketOutcomes Confirmed(int i, int respondAfter) => Ticket(i, T(i),
            (Ms(1000), Ack),
            (Ms(2000), Classified("printer_peripheral")),
            (Ms(respondAfter), Guide),
            (30 * Min, Fact(OutcomeKinds.Answered) with { Answer = "yes" }),
            (30 * Min, Resolved("requester")),
            (30 * Min + 7 * Day, Closed),
            (31 * Min, Fact(OutcomeKinds.Rated) with { Score = 5 }));
        return
        [
            Confirmed(0, 3000),
            Confirmed(1, 3000),
            Confirmed(2, 4000),
            Ticket(3, T(3),
                (Ms(1000), Ack),
                (Ms(2000), Classified("printer_peripheral")),
                (Ms(5000), Guide),
                (30 * Min, Resolved("requester")),
                (2 * Day, Fact(OutcomeKinds.Reopened) with { Reopens = 1 }),
                (2 * Day, Escalated(1)),
                (2 * Day + 2 * Hour, Resolved("engineer", 1)),
                (2 * Day + 2 * Hour + 7 * Day, Closed),
                (2 * Day + 3 * Hour, Fact(OutcomeKinds.Rated) with { Score = 2 })),
            .. Enumerable.Range(4, 2).Select(i => Ticket(i, T(i),
                (Ms(1000), Ack),
                (Ms(2000), Classified("vpn_remote_access")),
                (Ms(6000), Guide),
                (48 * Hour, Fact(OutcomeKinds.Answered) with { Answer = "silence" }),
                (48 * Hour, Resolved("silence")))),
            .. Enumerable.Range(6, 3).Select(i => Ticket(i, T(i),
                (Ms(1000), Ack),
                (Ms(2000), Classified("engineering")),
                (Ms(2000), Escalated()),
                (i * 10 * Min, Fact(OutcomeKinds.Responded) with { By = "person", Via = "plan" }),
                (i * 10 * Min, Fact(OutcomeKinds.Plan) with { Tier = 1 }),
                (3 * Hour, Fact(OutcomeKinds.Responded) with { By = "person", Via = "resolution" }),
                (3 * Hour, Resolved("engineer")))),
            Ticket(9, T(9),
                (Ms(1000), Ack),
                (Ms(2000), Classified("engineering")),
                (Ms(2000), Escalated()),
                (30 * Min, Fact(OutcomeKinds.HandedUp) with { Tier = 2 }),
                (3 * Hour, Fact(OutcomeKinds.SlaWarning)),
                (4 * Hour, Fact(OutcomeKinds.SlaBreach))),
        ];
    }

    // metrics: the per-ticket summary

    [Fact(Timeout = 10_000)]
    public async Task Folds_each_event_once_whatever_the_order_and_however_often_it_arrives()
    {
        await Task.Yield();
        OutcomeEvent E(string step, TimeSpan after, string kind) => new("acme", "T-1", T0, step, T0 + after, kind);
        OutcomeEvent[] events =
        [
            E("received", TimeSpan.Zero, OutcomeKinds.Received) with { Channel = "email" },
            E("acknowledged", Ms(1000), OutcomeKinds.Acknowledged),
            E("responded-playbook-1", Ms(5000), OutcomeKinds.Responded) with { By = "automation", Via = "guide" },
            E("escalation-0-1", Hour, OutcomeKinds.Escalated) with { Tier = 1, Reason = "no", Cycle = 0 },
            E("responded-plan-0-1", 2 * Hour, OutcomeKinds.Responded) with { By = "person", Via = "plan" },
            E("resolved-by-engineer-0", 3 * Hour, OutcomeKinds.Resolved) with { By = "engineer", Cycle = 0 },
            E("rated-a", 4 * Hour, OutcomeKinds.Rated) with { Score = 4, Comment = "thanks" },
        ];
        static TicketOutcomes? Fold(IEnumerable<OutcomeEvent> list) => list.Aggregate((TicketOutcomes?)null, TicketOutcomes.Apply);
        // The summary's lists compare by reference: its JSON compares by content.
        static string Json(TicketOutcomes? s) => JsonSerializer.Serialize(s);
        var forward = Fold(events);

        Assert.Equal(Json(forward), Json(Fold([.. events, .. events]))); // retries change nothing
        Assert.Equal(Json(forward), Json(Fold(events.Reverse()))); // order changes nothing
        Assert.Equal(T0 + Ms(5000), forward?.FirstResponseAt);
        Assert.Equal("automation", forward?.FirstResponseBy);
        Assert.Equal(new Rating(4, T0 + 4 * Hour, "thanks"), forward?.Rating);
    }

    // metrics: the figures

    private static readonly DateTimeOffset From = T0;
    private static readonly DateTimeOffset To = T0 + 35 * Day;
    private static readonly DateTimeOffset Now = T0 + 40 * Day;

    private static readonly Interruption[] Interruptions =
    [
        .. new[] { 3, 6, 7, 8, 9 }.Select(i =>
            new Interruption("acme", $"T-{1000 + i}", "escalation-1", T0 + i * Day + (i == 3 ? 2 * Day : Ms(2000)), "escalation", 1)),
        new("acme", "T-1009", "tier_handoff-2", T0 + 9 * Day + 30 * Min, "tier_handoff", 2),
        new("acme", "T-1009", "sla_breach-3", T0 + 9 * Day + 4 * Hour, "sla_breach", 2),
        new("other", "T-5", "escalation-1", T0, "escalation", 1),
    ];

    private static readonly ClientMetrics Figures =
        MetricsCalculator.Compute(new MetricsInput("acme", From, To, Now, London, TenTickets(), Interruptions, 0));

    /// <summary>The figures of a few tickets alone, over the same range.</summary>
    private static ClientMetrics FiguresOf(params TicketOutcomes[] summaries) =>
        MetricsCalculator.Compute(new MetricsInput("acme", From, To, Now, London, summaries, [], 0));

    [Fact(Timeout = 10_000)]
    public async Task Verified_deflection_is_confirmed_by_the_requester_and_not_reopened_over_all_tickets_with_silence_apart()
    {
        await Task.Yield();
        Assert.Equal(10, Figures.Tickets);
        Assert.Equal(new DeflectionFigures(Verified: 0.3, VerifiedCount: 3, Confirmed: 4, Unconfirmed: 2, Reopened: 1, AwaitingReopenWindow: 0), Figures.Deflection);
        Assert.Equal(0.1, Figures.ReopenRate);
        Assert.Equal([("requester", 3), ("engineer", 4), ("silence", 2)], Figures.ResolvedBy.Select(kv => (kv.Key, kv.Value)));
        Assert.Equal(1, Figures.Open);
        Assert.Equal(5, Figures.Escalated);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_confirmation_inside_the_reopen_window_is_not_verified_yet()
    {
        await Task.Yield();
        var early = FiguresOf(Ticket(0, T0, (TimeSpan.Zero, Guide), (Hour, Resolved("requester"))));

        Assert.Equal((0.0, 1, 1), (early.Deflection.Verified, early.Deflection.Confirmed, early.Deflection.AwaitingReopenWindow));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_late_yes_after_an_escalation_is_the_requesters_but_no_deflection()
    {
        await Task.Yield();
        var late = FiguresOf(Ticket(0, T0,
            (TimeSpan.Zero, Guide),
            (Hour, Escalated()),
            (Hour, Resolved("requester")),
            (8 * Day, Closed)));

        Assert.Equal((0, 0.0, 1), (late.Deflection.Confirmed, late.Deflection.Verified, late.ResolvedBy["requester"]));
    }

    [Fact(Timeout = 10_000)]
    public async Task Times_acknowledgement_first_response_resolution_and_escalation_handling_p50_and_p95()
    {
        await Task.Yield();
        Assert.Equal(new Percentiles(1000, 1000), Figures.AcknowledgementMs);
        // Guides at 3, 3, 4, 5, 6, 6 s; people's first public replies at 60, 70, 80 minutes; one has none.
        Assert.Equal(new Percentiles(6000, MsOf(80 * Min)), Figures.FirstResponseMs);
        // Resolved: 30 min x3, 2 days 2 h (after the reopen), 48 h x2, 3 h x3.
        Assert.Equal(new Percentiles(MsOf(3 * Hour), MsOf(2 * Day + 2 * Hour)), Figures.ResolutionMs);
        // Escalated -> resolved: 2 h (the reopen), 3 h - 2 s for each of the three engineering tickets.
        Assert.Equal(new Percentiles(MsOf(3 * Hour) - 2000, MsOf(3 * Hour) - 2000), Figures.EscalationHandleMs);
    }

    [Fact(Timeout = 10_000)]
    public async Task Business_time_variants_count_only_the_clients_working_hours()
    {
        await Task.Yield();
        // T-1004 and T-1005 arrive on Friday 10:00 and Saturday 10:00 and close 48 h later.
        var silence = FiguresOf([.. TenTickets().Where(s => s.TicketId is "T-1004" or "T-1005")]);

        // Fri 10:00 -> Sun 10:00 is 8 business hours; Sat 10:00 -> Mon 10:00 is 2.
        Assert.Equal(new Percentiles(MsOf(2 * Hour), MsOf(8 * Hour)), silence.ResolutionBusinessMs);
        Assert.Equal(new Percentiles(MsOf(48 * Hour), MsOf(48 * Hour)), silence.ResolutionMs);
    }

    [Fact(Timeout = 10_000)]
    public async Task SLA_breaches_are_a_first_response_after_the_response_deadline_or_none_by_now_and_the_resolution_alert()
    {
        await Task.Yield();
        // T-1006..8 answered by a person after 60, 70 and 80 minutes with a 60-minute window; T-1009 never.
        Assert.Equal(new SlaBreachCounts(Response: 3, Resolution: 1), Figures.SlaBreaches);
    }

    [Fact(Timeout = 10_000)]
    public async Task Satisfaction_responses_and_the_average()
    {
        await Task.Yield();
        Assert.Equal(4, Figures.Csat.Responses);
        Assert.Equal(4.25, Figures.Csat.Average);
        Assert.Equal([("1", 0), ("2", 1), ("3", 0), ("4", 0), ("5", 3)], Figures.Csat.Scores.Select(kv => (kv.Key, kv.Value)));
    }

    [Fact(Timeout = 10_000)]
    public async Task Interruptions_in_total_per_working_day_and_per_tier_only_the_clients_own()
    {
        await Task.Yield();
        Assert.Equal(7, Figures.EngineerInterruptions);
        // 35 days from Monday 10:00 to Monday 10:00: 25 working days and two hours of the 36th.
        Assert.Equal(0.28, Figures.EngineerInterruptionsPerDay);
        Assert.Equal(
            [("1", new TierFigures(5, 0.2)), ("2", new TierFigures(2, 0.08)), ("3", new TierFigures(0, 0)), ("oncall", new TierFigures(0, 0))],
            Figures.ByTier.Select(kv => (kv.Key, kv.Value)));
    }

    [Fact(Timeout = 10_000)]
    public async Task By_category_and_by_week()
    {
        await Task.Yield();
        Assert.Equal(
            [
                ("printer_peripheral", new CategoryFigures(Tickets: 4, Deflected: 3, Confirmed: 4, Unconfirmed: 0, Escalated: 1)),
                ("vpn_remote_access", new CategoryFigures(Tickets: 2, Deflected: 0, Confirmed: 0, Unconfirmed: 2, Escalated: 0)),
                ("engineering", new CategoryFigures(Tickets: 4, Deflected: 0, Confirmed: 0, Unconfirmed: 0, Escalated: 4)),
            ],
            Figures.ByCategory.Select(kv => (kv.Key, kv.Value)));
        Assert.Equal(
            [
                ("2026-03-02", 7, 3, 0.4286, 2),
                ("2026-03-09", 3, 0, 0.0, 5),
                ("2026-03-16", 0, 0, 0.0, 0),
                ("2026-03-23", 0, 0, 0.0, 0),
                ("2026-03-30", 0, 0, 0.0, 0),
                ("2026-04-06", 0, 0, 0.0, 0),
            ],
            Figures.Weekly.Select(w => (w.Week, w.Tickets, w.Verified, w.VerifiedDeflection, w.EngineerInterruptions)));
        Assert.Equal(
            new CategoryFigures(Tickets: 4, Deflected: 3, Confirmed: 4, Unconfirmed: 0, Escalated: 1),
            Figures.Weekly[0].ByCategory["printer_peripheral"]);
    }

    // metrics: helpers

    [Fact(Timeout = 10_000)]
    public async Task A_repage_of_the_same_ticket_within_30_minutes_counts_once()
    {
        await Task.Yield();
        static Interruption Page(string ticketId, int minutes) =>
            new("acme", ticketId, $"p1-page-0-{minutes}", T0 + minutes * Min, "p1_page", 3) { Audience = "oncall" };
        // Paged every 15 minutes for two hours: counted at 0, 30, 60 and 90 minutes.
        var pages = Enumerable.Range(0, 8).Select(k => Page("T-1", k * 15)).ToList();
        var counted = MetricsCalculator.CountedInterruptions([.. pages, Page("T-2", 10), pages[0]]);

        Assert.Equal(
            ["T-1@0", "T-2@10", "T-1@30", "T-1@60", "T-1@90"],
            counted.Select(i => $"{i.TicketId}@{(int)(i.At - T0).TotalMinutes}"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Percentiles_are_nearest_rank_always_an_observed_value()
    {
        await Task.Yield();
        Assert.Null(MetricsCalculator.Percentile([], 50));
        Assert.Equal(7, MetricsCalculator.Percentile([7], 95));
        Assert.Equal(2, MetricsCalculator.Percentile([4, 1, 3, 2], 50));
        Assert.Equal(19, MetricsCalculator.Percentile(Enumerable.Range(1, 20).Select(i => (long)i), 95));
        Assert.Equal(95, MetricsCalculator.Percentile(Enumerable.Range(1, 100).Select(i => (long)i), 95));
    }

    [Fact(Timeout = 10_000)]
    public async Task Weeks_start_on_Monday_UTC_and_working_days_follow_the_clients_hours()
    {
        await Task.Yield();
        Assert.Equal("2026-03-02", MetricsCalculator.WeekOf(DateTimeOffset.Parse("2026-03-08T23:59:59Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("2026-03-09", MetricsCalculator.WeekOf(DateTimeOffset.Parse("2026-03-09T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(5, MetricsCalculator.WorkingDays(T0 - 10 * Hour, T0 - 10 * Hour + 7 * Day, London));
        Assert.Equal(0, MetricsCalculator.WorkingDays(
            new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 9, 0, 0, 0, TimeSpan.Zero), London));
    }

    [Fact(Timeout = 10_000)]
    public async Task Ranges_are_from_inclusive_to_exclusive_ISO_8601_30_days_by_default_and_errors_name_the_field()
    {
        await Task.Yield();
        var now = new DateTimeOffset(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(new MetricsRange(now - 30 * Day, now), MetricsRange.Parse(null, null, now).Value);
        Assert.Equal(
            new MetricsRange(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)),
            MetricsRange.Parse("2026-03-01", "2026-04-01", now).Value);
        Assert.Equal(
            new MetricsRange(new DateTimeOffset(2026, 3, 1, 8, 30, 0, TimeSpan.Zero), now),
            MetricsRange.Parse("2026-03-01T09:30+01:00", null, now).Value);
        string Error(string? from, string? to)
        {
            var r = MetricsRange.Parse(from, to, now);
            return r.Ok ? "ok" : r.Error.Split(':')[0] + ":" + (r.Error.Contains("after", StringComparison.Ordinal) ? " after" : "");
        }
        foreach (var bad in new[] { "yesterday", "2026-02-30", "2026-13-01", "2026-03-01T10:00", "1700000000", "2026-3-1" })
            Assert.True(Error(bad, null) == "from:", bad);
        Assert.Equal("to:", Error(null, "soon"));
        Assert.Equal("to: after", Error("2026-03-02", "2026-03-01"));
        Assert.Equal("to: after", Error("2026-03-01", "2026-03-01"));
        Assert.Equal("to:", Error("2020-01-01", "2026-01-01"));
        // The texts themselves, as the TypeScript app answers them.
        Assert.Equal("from: must be an ISO 8601 date or time, e.g. 2026-03-01 or 2026-03-01T09:00:00Z", MetricsRange.Parse("yesterday", null, now).Error);
        Assert.Equal("to: must be an ISO 8601 date or time, e.g. 2026-03-01 or 2026-03-01T09:00:00Z", MetricsRange.Parse(null, "soon", now).Error);
        Assert.Equal("to: must be after from", MetricsRange.Parse("2026-03-02", "2026-03-01", now).Error);
        Assert.Equal("to: the range may span at most 731 days", MetricsRange.Parse("2020-01-01", "2026-01-01", now).Error);
    }
}
