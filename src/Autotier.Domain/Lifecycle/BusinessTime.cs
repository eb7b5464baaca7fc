using NodaTime;
using NodaTime.TimeZones;

namespace Autotier.Domain.Lifecycle;

/// <summary>
/// Business-time arithmetic in a client's time zone (a port of src/domain/businessHours.ts): SLA
/// windows and tier limits count only working hours. Pure and deterministic (NodaTime's tzdb is
/// compiled into the package), so orchestrators may call it. NodaTime gives zones and local dates;
/// the walk over working days is this app's rule, so it is written here.
/// </summary>
public static class BusinessTime
{
    /// <summary>About ten years of days: a profile whose hours never open ends in an error, not a hang.</summary>
    internal const int MaxDays = 3660;

    /// <summary>Adds <paramref name="businessTime"/> of working time to <paramref name="from"/>; the result is a wall-clock instant (UTC).</summary>
    public static DateTimeOffset Add(DateTimeOffset from, TimeSpan businessTime, BusinessHours hours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(businessTime, TimeSpan.Zero);
        var office = new Office(hours);
        var cursor = Instant.FromDateTimeOffset(from);
        var remaining = Duration.FromTimeSpan(businessTime);
        for (var day = 0; day < MaxDays; day++)
        {
            if (office.WindowOf(cursor) is { } w && cursor < w.End)
            {
                var start = Instant.Max(cursor, w.Start);
                if (remaining <= w.End - start) return (start + remaining).ToDateTimeOffset();
                remaining -= w.End - start;
            }
            cursor = office.NextMidnight(cursor);
        }
        throw NeverOpen();
    }

    /// <summary>Working time elapsed between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public static TimeSpan Between(DateTimeOffset from, DateTimeOffset to, BusinessHours hours) =>
        Between(new Office(hours), Instant.FromDateTimeOffset(from), Instant.FromDateTimeOffset(to)).ToTimeSpan();

    /// <summary>Whether the office is open at <paramref name="t"/> (the window's start counts, its end does not).</summary>
    public static bool IsOpen(DateTimeOffset t, BusinessHours hours)
    {
        var at = Instant.FromDateTimeOffset(t);
        return new Office(hours).WindowOf(at) is { } w && at >= w.Start && at < w.End;
    }

    /// <summary>
    /// <paramref name="t"/> itself while the office is open, else the next opening: when a requester
    /// reminder or a silence action may go out (issue #32 fix 8: never at 23:17).
    /// </summary>
    public static DateTimeOffset NextOpen(DateTimeOffset t, BusinessHours hours)
    {
        var office = new Office(hours);
        var cursor = Instant.FromDateTimeOffset(t);
        for (var day = 0; day < MaxDays; day++)
        {
            if (office.WindowOf(cursor) is { } w && Instant.Max(cursor, w.Start) < w.End)
                return cursor >= w.Start ? t : w.Start.ToDateTimeOffset();
            cursor = office.NextMidnight(cursor);
        }
        throw NeverOpen();
    }

    internal static Duration Between(Office office, Instant from, Instant to)
    {
        var total = Duration.Zero;
        var cursor = from;
        for (var day = 0; cursor < to && day < MaxDays; day++)
        {
            if (office.WindowOf(cursor) is { } w)
            {
                var part = Instant.Min(w.End, to) - Instant.Max(w.Start, cursor);
                if (part > Duration.Zero) total += part;
            }
            cursor = office.NextMidnight(cursor);
        }
        return total;
    }

    private static InvalidOperationException NeverOpen() =>
        new("business hours never open; check the client profile");

    /// <summary>A business window: [Start, End) on one local day.</summary>
    internal readonly record struct Window(Instant Start, Instant End);

    /// <summary>The hours resolved once per call: the zone, the working days and the window's minutes.</summary>
    internal sealed class Office
    {
        private readonly DateTimeZone zone;
        private readonly bool[] open = new bool[8];
        private readonly int start;
        private readonly int end;

        public Office(BusinessHours hours)
        {
            ArgumentNullException.ThrowIfNull(hours);
            zone = hours.Zone;
            foreach (var day in hours.Days ?? [])
            {
                if (day is >= 1 and <= 7) open[day] = true;
            }
            start = hours.StartMinutes;
            end = hours.EndMinutes;
        }

        /// <summary>The business window of the local day containing <paramref name="t"/>, or null on a day off.</summary>
        public Window? WindowOf(Instant t)
        {
            var local = t.InZone(zone);
            if (!open[(int)local.DayOfWeek]) return null;
            return new Window(At(local.Date, start), At(local.Date, end));
        }

        /// <summary>The first instant of the next local day.</summary>
        public Instant NextMidnight(Instant t) => zone.AtStartOfDay(t.InZone(zone).Date.PlusDays(1)).ToInstant();

        /// <summary>
        /// The instant of a local wall-clock time, minutes after midnight (1440 is the next midnight).
        /// Across a DST change the lenient resolver takes the earlier of a repeated time (as the
        /// TypeScript did) and moves a skipped time forward by the gap (08:30 in a 08:00-09:00 gap
        /// is 09:30), so a window never starts before its day's real start.
        /// </summary>
        private Instant At(LocalDate date, int minutes)
        {
            var local = date.PlusDays(minutes / (24 * 60)).At(new LocalTime(minutes % (24 * 60) / 60, minutes % 60));
            return zone.ResolveLocal(local, Resolvers.LenientResolver).ToInstant();
        }
    }
}

/// <summary>
/// <see cref="BusinessTime.Between"/> for many pairs of instants at once (a metrics query over
/// thousands of tickets): the windows of [from, to) are worked out once, and each pair is then two
/// binary searches. Pairs outside [from, to] fall back to <see cref="BusinessTime.Between"/>. A port
/// of the TypeScript <c>businessCalendar</c>.
/// </summary>
public sealed class BusinessCalendar
{
    private readonly BusinessTime.Office office;
    private readonly Instant from;
    private readonly Instant to;
    private readonly List<Instant> starts = [];
    private readonly List<Instant> ends = [];

    /// <summary>Business time in the calendar before window i.</summary>
    private readonly List<Duration> before = [];

    public BusinessCalendar(DateTimeOffset from, DateTimeOffset to, BusinessHours hours)
    {
        office = new BusinessTime.Office(hours);
        this.from = Instant.FromDateTimeOffset(from);
        this.to = Instant.FromDateTimeOffset(to);
        var total = Duration.Zero;
        var cursor = this.from;
        for (var day = 0; cursor < this.to && day < BusinessTime.MaxDays; day++)
        {
            if (office.WindowOf(cursor) is { } w && w.End > w.Start)
            {
                starts.Add(w.Start);
                ends.Add(w.End);
                before.Add(total);
                total += w.End - w.Start;
            }
            cursor = office.NextMidnight(cursor);
        }
    }

    /// <summary>Working time between <paramref name="a"/> and <paramref name="b"/>, as <see cref="BusinessTime.Between"/> gives it.</summary>
    public TimeSpan Between(DateTimeOffset a, DateTimeOffset b)
    {
        var x = Instant.FromDateTimeOffset(a);
        var y = Instant.FromDateTimeOffset(b);
        if (y <= x) return TimeSpan.Zero;
        if (x < from || y > to) return BusinessTime.Between(office, x, y).ToTimeSpan();
        return (UpTo(y) - UpTo(x)).ToTimeSpan();
    }

    /// <summary>Business time in the calendar up to <paramref name="t"/>.</summary>
    private Duration UpTo(Instant t)
    {
        // The last window starting at or before t.
        var i = starts.BinarySearch(t);
        var found = i >= 0 ? i : ~i - 1;
        if (found < 0) return Duration.Zero;
        return before[found] + (Instant.Min(t, ends[found]) - starts[found]);
    }
}
