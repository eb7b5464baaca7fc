using System.Globalization;
using Autotier.Domain.Alerts;
using Autotier.Domain.Lifecycle;

namespace Autotier.Domain.Metrics;

/// <summary>
/// A client's outcome figures: deflection, response and resolution times, reopens, satisfaction,
/// interruptions, by category and by week (a port of src/domain/metrics.ts). Pure: the per-ticket
/// summaries and the interruptions of the range come in (<see cref="TicketOutcomes"/>), each ticket's
/// figures are worked out (<see cref="TicketFigures.Of"/>), and the aggregate goes out.
/// </summary>
public static class MetricsCalculator
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>A re-page of the same ticket within this long of the page that was counted is the same interruption.</summary>
    public static readonly TimeSpan RepageCountsOnce = TimeSpan.FromMinutes(30);

    /// <summary>Nearest-rank percentile: always a value that was observed; null when there is none.</summary>
    public static long? Percentile(IEnumerable<long> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        var rank = Math.Max(1, (int)Math.Ceiling(p / 100 * sorted.Count));
        // TypeScript's sorted[rank - 1] ?? null: a p above 100 ranks past the end and observes nothing.
        return rank <= sorted.Count ? sorted[rank - 1] : null;
    }

    private static Percentiles PercentilesOf(IEnumerable<long?> values)
    {
        var present = values.OfType<long>().ToList();
        return new Percentiles(Percentile(present, 50), Percentile(present, 95));
    }

    /// <summary>Math.round as JavaScript does it: halves go up (toward +∞), not to even.</summary>
    private static double JsRound(double x)
    {
        var floor = Math.Floor(x);
        return x - floor >= 0.5 ? floor + 1 : floor;
    }

    /// <summary>Fractions are rounded to four places: 0.3, not 0.30000000000000004.</summary>
    private static double Fraction(int part, int whole) =>
        whole == 0 ? 0 : JsRound((double)part / whole * 10_000) / 10_000;

    private static double Round2(double n) => JsRound(n * 100) / 100;

    /// <summary>
    /// The interruptions that count: a re-page of the same ticket within 30 minutes of the page that
    /// was counted is the same interruption (the person is already on it or already woken). The same
    /// (ticket, key) twice is one notification.
    /// </summary>
    public static IReadOnlyList<Interruption> CountedInterruptions(IEnumerable<Interruption> interruptions)
    {
        ArgumentNullException.ThrowIfNull(interruptions);
        var lastCountedPage = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var seen = new HashSet<(string TicketId, string Key)>();
        var counted = new List<Interruption>();
        foreach (var i in interruptions.OrderBy(i => i.At).ThenBy(i => i.Key, StringComparer.Ordinal))
        {
            if (!seen.Add((i.TicketId, i.Key))) continue;
            if (i.Kind == AlertKinds.P1Page)
            {
                if (lastCountedPage.TryGetValue(i.TicketId, out var last) && i.At - last < RepageCountsOnce) continue;
                lastCountedPage[i.TicketId] = i.At;
            }
            counted.Add(i);
        }
        return counted;
    }

    /// <summary><c>1</c>, <c>2</c>, <c>3</c> for a tier's engineers; <c>oncall</c> for pages to whoever is on call.</summary>
    public static string TierKeyOf(Interruption i)
    {
        ArgumentNullException.ThrowIfNull(i);
        if (i.Audience == "oncall") return "oncall";
        // A tier of 0 (unknown) is tier 1, as TypeScript's `Math.trunc(tier) || 1`.
        var tier = i.Tier == 0 ? 1 : i.Tier;
        return Math.Clamp(tier, 1, 3).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The Monday (UTC) of the week an instant falls in, as YYYY-MM-DD.</summary>
    public static string WeekOf(DateTimeOffset t) =>
        MondayOf(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset MondayOf(DateTimeOffset t)
    {
        var date = t.UtcDateTime.Date;
        var sinceMonday = ((int)date.DayOfWeek + 6) % 7;
        return new DateTimeOffset(date.AddDays(-sinceMonday), TimeSpan.Zero);
    }

    /// <summary>How long one working day of the client's business hours is (a whole day for 00:00-24:00).</summary>
    private static TimeSpan WorkingDay(BusinessHours hours)
    {
        var minutes = (hours.EndMinutes - hours.StartMinutes + 24 * 60) % (24 * 60);
        return TimeSpan.FromMinutes(minutes == 0 ? 24 * 60 : minutes);
    }

    /// <summary>
    /// How many of the client's working days a range holds (business time over the length of a working
    /// day); <paramref name="businessTime"/> spares working out the client's calendar again when the
    /// caller has one.
    /// </summary>
    public static double WorkingDays(
        DateTimeOffset from,
        DateTimeOffset to,
        BusinessHours hours,
        Func<DateTimeOffset, DateTimeOffset, TimeSpan>? businessTime = null)
    {
        ArgumentNullException.ThrowIfNull(hours);
        var business = businessTime is null ? BusinessTime.Between(from, to, hours) : businessTime(from, to);
        return (double)TicketFigures.Milliseconds(business) / TicketFigures.Milliseconds(WorkingDay(hours));
    }

    private static Dictionary<string, CategoryFigures> ByCategoryOf(IEnumerable<TicketFigures> figures) =>
        // GroupBy keeps the order in which categories first appear, as the TypeScript object did.
        figures.GroupBy(f => f.Category, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => new CategoryFigures(
                Tickets: g.Count(),
                Deflected: g.Count(f => f.Verified),
                Confirmed: g.Count(f => f.Confirmed),
                Unconfirmed: g.Count(f => f.Unconfirmed),
                Escalated: g.Count(f => f.Escalated)),
            StringComparer.Ordinal);

    private static CsatFigures CsatOf(IEnumerable<TicketFigures> figures)
    {
        var ratings = figures.Select(f => f.Rating).OfType<int>().ToList();
        var scores = new Dictionary<string, int>(StringComparer.Ordinal) { ["1"] = 0, ["2"] = 0, ["3"] = 0, ["4"] = 0, ["5"] = 0 };
        foreach (var r in ratings)
        {
            // A score outside 1..5 gets its own key, as it did in TypeScript; recording keeps scores in 1..5.
            var key = r.ToString(CultureInfo.InvariantCulture);
            scores[key] = scores.GetValueOrDefault(key) + 1;
        }
        return new CsatFigures(ratings.Count, ratings.Count > 0 ? Round2((double)ratings.Sum() / ratings.Count) : null, scores);
    }

    /// <summary>The client's figures over [From, To) as of Now.</summary>
    public static ClientMetrics Compute(MetricsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool InRange(DateTimeOffset t) => t >= input.From && t < input.To;
        // Tickets are received in the range and their events happen by now: one calendar covers them.
        var calendar = new BusinessCalendar(input.From - Day, (input.To > input.Now ? input.To : input.Now) + Day, input.Hours);
        Func<DateTimeOffset, DateTimeOffset, TimeSpan> businessTime = calendar.Between;
        var figures = input.Summaries
            .Where(s => s.ClientId == input.ClientId && InRange(s.ReceivedAt))
            .Select(s => TicketFigures.Of(s, businessTime, input.Now))
            .ToList();
        var interruptions = CountedInterruptions(input.Interruptions.Where(i => i.ClientId == input.ClientId && InRange(i.At)));
        var days = WorkingDays(input.From, input.To, input.Hours, businessTime);
        double? PerDay(int n) => days > 0 ? Round2(n / days) : null;
        int Count(Func<TicketFigures, bool> pick) => figures.Count(pick);

        var byTier = new Dictionary<string, TierFigures>(StringComparer.Ordinal);
        foreach (var key in new[] { "1", "2", "3", "oncall" })
        {
            var n = interruptions.Count(i => TierKeyOf(i) == key);
            byTier[key] = new TierFigures(n, PerDay(n));
        }

        // Each ticket and interruption is placed in its week once: a year is 53 weeks of thousands.
        var weeks = new Dictionary<string, List<TicketFigures>>(StringComparer.Ordinal);
        var weekOrder = new List<string>();
        for (var t = MondayOf(input.From); t < input.To; t += 7 * Day)
        {
            var week = WeekOf(t);
            if (weeks.TryAdd(week, [])) weekOrder.Add(week);
        }
        foreach (var f in figures)
        {
            if (weeks.TryGetValue(WeekOf(f.ReceivedAt), out var list)) list.Add(f);
        }
        var interruptionsByWeek = interruptions.CountBy(i => WeekOf(i.At), StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var weekly = weekOrder.Select(week =>
        {
            var fs = weeks[week];
            var verified = fs.Count(f => f.Verified);
            var csat = CsatOf(fs);
            return new WeekFigures(
                week,
                fs.Count,
                Fraction(verified, fs.Count),
                verified,
                Confirmed: fs.Count(f => f.Confirmed),
                Unconfirmed: fs.Count(f => f.Unconfirmed),
                Reopened: fs.Count(f => f.Reopened),
                Escalated: fs.Count(f => f.Escalated),
                FirstResponseP50Ms: Percentile(fs.Select(f => f.FirstResponseMs).OfType<long>(), 50),
                ResolutionP50Ms: Percentile(fs.Select(f => f.ResolutionMs).OfType<long>(), 50),
                EngineerInterruptions: interruptionsByWeek.GetValueOrDefault(week),
                CsatResponses: csat.Responses,
                CsatAverage: csat.Average,
                Endings: Endings.All.ToDictionary(e => e, e => fs.Count(f => f.Ending == e), StringComparer.Ordinal),
                ByCategory: ByCategoryOf(fs));
        }).ToList();

        var verifiedCount = Count(f => f.Verified);
        return new ClientMetrics(
            input.ClientId,
            input.From.ToUniversalTime(),
            input.To.ToUniversalTime(),
            figures.Count,
            new DeflectionFigures(
                Verified: Fraction(verifiedCount, figures.Count),
                VerifiedCount: verifiedCount,
                Confirmed: Count(f => f.Confirmed),
                Unconfirmed: Count(f => f.Unconfirmed),
                Reopened: Count(f => f.Confirmed && f.Reopened),
                AwaitingReopenWindow: Count(f => f.AwaitingReopenWindow)),
            new Dictionary<string, int>(StringComparer.Ordinal)
            {
                ["requester"] = Count(f => f.ResolvedBy == "requester"),
                ["engineer"] = Count(f => f.ResolvedBy == "engineer"),
                ["silence"] = Count(f => f.ResolvedBy == "silence"),
            },
            Open: Count(f => f.ResolvedBy is null),
            Escalated: Count(f => f.Escalated),
            AcknowledgementMs: PercentilesOf(figures.Select(f => f.AcknowledgementMs)),
            FirstResponseMs: PercentilesOf(figures.Select(f => f.FirstResponseMs)),
            ResolutionMs: PercentilesOf(figures.Select(f => f.ResolutionMs)),
            EscalationHandleMs: PercentilesOf(figures.SelectMany(f => f.EscalationHandleMs).Select(v => (long?)v)),
            AcknowledgementBusinessMs: PercentilesOf(figures.Select(f => f.AcknowledgementBusinessMs)),
            FirstResponseBusinessMs: PercentilesOf(figures.Select(f => f.FirstResponseBusinessMs)),
            ResolutionBusinessMs: PercentilesOf(figures.Select(f => f.ResolutionBusinessMs)),
            EscalationHandleBusinessMs: PercentilesOf(figures.SelectMany(f => f.EscalationHandleBusinessMs).Select(v => (long?)v)),
            ReopenRate: Fraction(Count(f => f.Reopened), figures.Count),
            Csat: CsatOf(figures),
            EngineerInterruptions: interruptions.Count,
            EngineerInterruptionsPerDay: PerDay(interruptions.Count),
            ByTier: byTier,
            SlaBreaches: new SlaBreachCounts(Count(f => f.ResponseBreached), Count(f => f.ResolutionBreached)),
            SelfServiceDeflections: input.SelfServiceDeflections,
            ByCategory: ByCategoryOf(figures),
            Weekly: weekly)
        {
            PersonFirstResponseMs = PercentilesOf(figures.Where(f => f.FirstResponseBy == "person").Select(f => f.FirstResponseMs)),
        };
    }
}
