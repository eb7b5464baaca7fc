using System.Globalization;
using Autotier.Domain.Lifecycle;
using Xunit;

namespace Autotier.UnitTests.Domain.Lifecycle;

/// <summary>
/// Business-time arithmetic: the TypeScript tests of businessHours.ts, then DST changes, days off,
/// partial days, a 24:00 end and around the clock. Figures worked out by hand in the comments and
/// checked against the TypeScript build (addBusinessTime / businessTimeBetween on the same inputs).
/// </summary>
public sealed class BusinessTimeTests
{
    internal static readonly BusinessHours London = new("Europe/London", [1, 2, 3, 4, 5], "08:00", "18:00");

    internal static DateTimeOffset T(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void Adds_time_within_a_working_day() =>
        Assert.Equal(T("2026-03-02T14:00:00Z"), BusinessTime.Add(T("2026-03-02T10:00:00Z"), 4 * Hour, London));

    [Fact]
    public void Carries_over_the_evening_and_the_weekend()
    {
        Assert.Equal(T("2026-03-09T10:00:00Z"), BusinessTime.Add(T("2026-03-06T16:00:00Z"), 4 * Hour, London));
        Assert.Equal(T("2026-03-09T09:00:00Z"), BusinessTime.Add(T("2026-03-07T12:00:00Z"), Hour, London));
    }

    [Fact]
    public void Follows_daylight_saving_time_in_the_clients_zone()
    {
        // London moves to BST on 29 March 2026: 08:00 local is 07:00 UTC from then on.
        Assert.Equal(T("2026-03-30T08:00:00Z"), BusinessTime.Add(T("2026-03-30T05:00:00Z"), Hour, London));
        var newYork = new BusinessHours("America/New_York", [1, 2, 3, 4, 5], "09:00", "17:00");
        Assert.Equal(T("2026-03-02T14:30:00Z"), BusinessTime.Add(T("2026-03-02T12:00:00Z"), TimeSpan.FromMinutes(30), newYork));
    }

    [Fact]
    public void Measures_business_time_between_two_instants()
    {
        Assert.Equal(2 * Hour, BusinessTime.Between(T("2026-03-06T17:00:00Z"), T("2026-03-09T09:00:00Z"), London));
        Assert.Equal(TimeSpan.Zero, BusinessTime.Between(T("2026-03-07T00:00:00Z"), T("2026-03-08T23:00:00Z"), London));
        Assert.Equal(TimeSpan.Zero, BusinessTime.Between(T("2026-03-09T12:00:00Z"), T("2026-03-09T10:00:00Z"), London));
    }

    [Fact]
    public void Knows_when_the_office_is_open()
    {
        Assert.False(BusinessTime.IsOpen(T("2026-03-02T07:59:00Z"), London));
        Assert.True(BusinessTime.IsOpen(T("2026-03-02T08:00:00Z"), London));
        Assert.True(BusinessTime.IsOpen(T("2026-03-02T17:59:59Z"), London));
        Assert.False(BusinessTime.IsOpen(T("2026-03-02T18:00:00Z"), London));
        Assert.False(BusinessTime.IsOpen(T("2026-03-07T10:00:00Z"), London));
    }

    [Fact]
    public void Refuses_a_profile_with_no_working_days()
    {
        var never = London with { Days = [] };
        var error = Assert.Throws<InvalidOperationException>(() => BusinessTime.Add(DateTimeOffset.UnixEpoch, Hour, never));
        Assert.Contains("never open", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => BusinessTime.NextOpen(DateTimeOffset.UnixEpoch, never));
    }

    [Fact]
    public void Across_the_autumn_change_a_working_day_is_still_ten_hours()
    {
        // Fri 23 Oct 16:00Z is 17:00 BST: one hour left. Mon 26 Oct is GMT: 08:00Z plus three hours.
        Assert.Equal(T("2026-10-26T11:00:00Z"), BusinessTime.Add(T("2026-10-23T16:00:00Z"), 4 * Hour, London));
        // Fri 13:00-18:00 BST (5 h) and Mon 08:00-12:00 GMT (4 h).
        Assert.Equal(9 * Hour, BusinessTime.Between(T("2026-10-23T12:00:00Z"), T("2026-10-26T12:00:00Z"), London));
        // Spring: Fri 12:00-18:00 GMT (6 h) and Mon 08:00-13:00 BST, 07:00Z-12:00Z (5 h).
        Assert.Equal(11 * Hour, BusinessTime.Between(T("2026-03-27T12:00:00Z"), T("2026-03-30T12:00:00Z"), London));
    }

    [Fact]
    public void A_window_across_the_change_itself_counts_real_time()
    {
        // 00:30-03:00 every day. On 29 March 01:00 GMT becomes 02:00 BST: the window is 00:30Z-02:00Z,
        // 90 minutes; Monday's window starts 00:30 BST (29 Mar 23:30Z), 30 minutes before the end.
        var night = new BusinessHours("Europe/London", [1, 2, 3, 4, 5, 6, 7], "00:30", "03:00");
        Assert.Equal(TimeSpan.FromMinutes(120), BusinessTime.Between(T("2026-03-28T12:00:00Z"), T("2026-03-30T00:00:00Z"), night));
        // On 25 October 02:00 BST becomes 01:00 GMT: 00:30 BST (24 Oct 23:30Z) to 03:00 GMT is 3.5 hours.
        Assert.Equal(TimeSpan.FromMinutes(210), BusinessTime.Between(T("2026-10-24T12:00:00Z"), T("2026-10-26T00:00:00Z"), night));
    }

    [Fact]
    public void A_start_inside_the_spring_gap_moves_forward_by_the_gap_and_a_repeated_one_is_the_first()
    {
        var early = new BusinessHours("Europe/London", [7], "01:30", "03:00");
        // 29 Mar: 01:30 does not exist; the window opens at 02:30 BST (01:30Z) and ends 03:00 BST (02:00Z).
        Assert.False(BusinessTime.IsOpen(T("2026-03-29T01:29:00Z"), early));
        Assert.Equal(T("2026-03-29T01:30:00Z"), BusinessTime.NextOpen(T("2026-03-29T00:00:00Z"), early));
        Assert.Equal(TimeSpan.FromMinutes(30), BusinessTime.Between(T("2026-03-29T00:00:00Z"), T("2026-03-29T12:00:00Z"), early));
        // 25 Oct: 01:30 happens twice; the window opens at the first (BST, 00:30Z) and ends 03:00 GMT.
        Assert.Equal(T("2026-10-25T00:30:00Z"), BusinessTime.NextOpen(T("2026-10-24T23:00:00Z"), early));
        Assert.Equal(TimeSpan.FromMinutes(150), BusinessTime.Between(T("2026-10-24T23:00:00Z"), T("2026-10-25T12:00:00Z"), early));
    }

    [Fact]
    public void Southern_hemisphere_hours_follow_their_own_change()
    {
        // Sydney leaves daylight time on Sun 5 Apr 2026 (+11 to +10); open Mon-Sat 07:30-19:00.
        var sydney = new BusinessHours("Australia/Sydney", [1, 2, 3, 4, 5, 6], "07:30", "19:00");
        // Fri 17:00 AEDT: 2 h left; Sat opens 07:30 AEDT (Fri 20:30Z), 3 h later is 23:30Z.
        Assert.Equal(T("2026-04-03T23:30:00Z"), BusinessTime.Add(T("2026-04-03T06:00:00Z"), 5 * Hour, sydney));
        // Fri 11:00-19:00 (8 h), Sat 11.5 h, Sunday off, Mon 11.5 h, Tue 07:30-10:00 AEST (2.5 h).
        Assert.Equal(TimeSpan.FromMinutes(2010), BusinessTime.Between(T("2026-04-03T00:00:00Z"), T("2026-04-07T00:00:00Z"), sydney));
    }

    [Fact]
    public void Days_off_and_partial_days_count_only_their_hours()
    {
        // Tuesdays and Thursdays 13:00-17:30 in Berlin (CET, +1 in early March).
        var parttime = new BusinessHours("Europe/Berlin", [2, 4], "13:00", "17:30");
        // Tue 16:00 CET: 1.5 h left; Thu opens 12:00Z, plus 4.5 h.
        Assert.Equal(T("2026-03-05T16:30:00Z"), BusinessTime.Add(T("2026-03-03T15:00:00Z"), 6 * Hour, parttime));
        Assert.Equal(9 * Hour, BusinessTime.Between(T("2026-03-02T00:00:00Z"), T("2026-03-09T00:00:00Z"), parttime));
        Assert.False(BusinessTime.IsOpen(T("2026-03-04T13:00:00Z"), parttime)); // a Wednesday
    }

    [Fact]
    public void An_end_of_24_00_runs_to_local_midnight()
    {
        var tokyo = new BusinessHours("Asia/Tokyo", [1, 2, 3, 4, 5], "09:00", "24:00");
        // Fri 23:00 JST: 1 h to midnight; Mon 09:00 JST is 00:00Z, plus 1 h.
        Assert.Equal(T("2026-03-09T01:00:00Z"), BusinessTime.Add(T("2026-03-06T14:00:00Z"), 2 * Hour, tokyo));
        Assert.Equal(30 * Hour, BusinessTime.Between(T("2026-03-06T00:00:00Z"), T("2026-03-10T00:00:00Z"), tokyo));
        Assert.True(BusinessTime.IsOpen(T("2026-03-06T14:59:00Z"), tokyo));
        Assert.False(BusinessTime.IsOpen(T("2026-03-06T15:00:00Z"), tokyo)); // Saturday 00:00 JST
    }

    [Fact]
    public void Around_the_clock_counts_every_minute_of_every_day()
    {
        var hours = BusinessHours.AroundTheClock;
        Assert.Equal(T("2026-03-08T03:00:00Z"), BusinessTime.Add(T("2026-03-07T23:00:00Z"), TimeSpan.FromMinutes(240), hours));
        Assert.Equal(TimeSpan.FromMinutes(1650), BusinessTime.Between(T("2026-03-07T22:00:00Z"), T("2026-03-09T01:30:00Z"), hours));
        Assert.True(BusinessTime.IsOpen(T("2026-03-08T00:00:00Z"), hours));
        Assert.True(BusinessTime.IsOpen(T("2026-03-08T23:59:59Z"), hours));
        var sunday = T("2026-03-08T23:17:00Z");
        Assert.Equal(sunday, BusinessTime.NextOpen(sunday, hours));
    }

    [Fact]
    public void Adding_nothing_outside_hours_lands_on_the_next_opening_and_negative_time_is_refused()
    {
        Assert.Equal(T("2026-03-09T08:00:00Z"), BusinessTime.Add(T("2026-03-06T18:00:00Z"), TimeSpan.Zero, London));
        Assert.Throws<ArgumentOutOfRangeException>(() => BusinessTime.Add(T("2026-03-06T12:00:00Z"), -Hour, London));
    }

    [Theory]
    [InlineData("2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z")] // open: now
    [InlineData("2026-03-02T08:00:00Z", "2026-03-02T08:00:00Z")] // the opening minute is open
    [InlineData("2026-03-02T07:10:00Z", "2026-03-02T08:00:00Z")] // before opening
    [InlineData("2026-03-02T23:17:00Z", "2026-03-03T08:00:00Z")] // the evening: tomorrow morning
    [InlineData("2026-03-02T18:00:00Z", "2026-03-03T08:00:00Z")] // the closing minute is closed
    [InlineData("2026-03-06T19:00:00Z", "2026-03-09T08:00:00Z")] // Friday evening: Monday
    [InlineData("2026-03-28T11:00:00Z", "2026-03-30T07:00:00Z")] // Saturday before the change: Monday 08:00 BST
    public void Next_open_is_now_inside_hours_else_the_next_opening(string at, string expected) =>
        Assert.Equal(T(expected), BusinessTime.NextOpen(T(at), London));

    [Theory]
    [InlineData("Europe/London", "2026-03-28T12:00:00Z")] // spring forward (23-hour Sunday)
    [InlineData("Europe/London", "2026-10-24T12:00:00Z")] // fall back (25-hour Sunday)
    [InlineData("America/Santiago", "2026-09-05T12:00:00Z")] // clocks skip local midnight
    [InlineData("Australia/Sydney", "2026-04-04T12:00:00Z")]
    public void All_day_every_day_counts_real_time_across_any_change(string zone, string from)
    {
        var always = new BusinessHours(zone, [1, 2, 3, 4, 5, 6, 7], "00:00", "24:00");
        var start = T(from);
        Assert.Equal(TimeSpan.FromHours(48), BusinessTime.Between(start, start.AddHours(48), always));
        Assert.Equal(start.AddHours(30), BusinessTime.Add(start, TimeSpan.FromHours(30), always));
        Assert.True(BusinessTime.IsOpen(start.AddHours(12), always));
    }

    [Fact]
    public void Hours_with_an_unknown_zone_are_an_error_naming_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => BusinessTime.IsOpen(DateTimeOffset.UnixEpoch, London with { TimeZone = "Mars/Olympus" }));
        Assert.Contains("businessHours.timeZone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_calendar_gives_what_between_gives_across_weekends_the_change_and_outside_its_span()
    {
        var sydney = new BusinessHours("Australia/Sydney", [1, 2, 3, 4, 5, 6], "07:30", "19:00");
        var seed = 11L;
        double Rnd() => (seed = seed * 16807 % 2147483647) / 2147483647.0;
        var from = T("2026-03-20T00:00:00Z");
        var to = T("2026-04-20T00:00:00Z");
        const long Day = 86_400_000;
        foreach (var hours in new[] { London, sydney })
        {
            var calendar = new BusinessCalendar(from, to, hours);
            for (var i = 0; i < 300; i++)
            {
                var a = from.AddMilliseconds(-3 * Day + Math.Floor(Rnd() * 36 * Day));
                var b = a.AddMilliseconds(Math.Floor(Rnd() * 9 * Day));
                Assert.Equal(BusinessTime.Between(a, b, hours), calendar.Between(a, b));
            }
            Assert.Equal(TimeSpan.Zero, calendar.Between(to, from));
        }
        // And a figure of its own: Fri 17:00Z to Mon 09:00Z is two business hours in London.
        Assert.Equal(2 * Hour, new BusinessCalendar(from, to, London).Between(T("2026-03-20T17:00:00Z"), T("2026-03-23T09:00:00Z")));
    }
}
