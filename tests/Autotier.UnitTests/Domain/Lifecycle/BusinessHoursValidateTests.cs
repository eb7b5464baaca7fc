using Autotier.Domain.Lifecycle;
using Xunit;

namespace Autotier.UnitTests.Domain.Lifecycle;

/// <summary>The checks <c>autotier client set</c> runs on a profile's business hours.</summary>
public sealed class BusinessHoursValidateTests
{
    [Fact]
    public void Good_hours_and_the_built_in_ones_pass()
    {
        Assert.Null(BusinessTimeTests.London.Validate());
        Assert.Null(BusinessHours.AroundTheClock.Validate());
        Assert.Null(BusinessHours.Default.Validate());
        Assert.Null(new BusinessHours("America/Argentina/Buenos_Aires", [6, 7], "23:00", "24:00").Validate());
    }

    [Theory]
    [InlineData("Mars/Olympus", "timeZone")]
    [InlineData("GMT Standard Time", "timeZone")] // a Windows id: only IANA ids are read
    [InlineData("", "timeZone")]
    public void An_unknown_zone_is_named(string zone, string field)
    {
        var error = (BusinessTimeTests.London with { TimeZone = zone }).Validate();
        Assert.NotNull(error);
        Assert.Contains($"businessHours.{field}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new int[0], "empty")]
    [InlineData(new[] { 0, 1 }, "has 0")]
    [InlineData(new[] { 1, 8 }, "has 8")]
    public void Days_must_be_iso_weekdays_and_at_least_one(int[] days, string expected)
    {
        var error = (BusinessTimeTests.London with { Days = days }).Validate();
        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("businessHours.days", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8:00", "18:00", "businessHours.start")]
    [InlineData("08:60", "18:00", "businessHours.start")]
    [InlineData("24:00", "24:00", "businessHours.start")]
    [InlineData("eight", "18:00", "businessHours.start")]
    [InlineData("08:00", "24:01", "businessHours.end")]
    [InlineData("08:00", "6pm", "businessHours.end")]
    [InlineData("08:00", "08:00", "not after")]
    [InlineData("22:00", "06:00", "not after")]
    public void Times_must_be_hh_mm_with_the_end_after_the_start(string start, string end, string expected)
    {
        var error = (BusinessTimeTests.London with { Start = start, End = end }).Validate();
        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Hours_a_json_profile_left_out_are_named_not_thrown()
    {
        var error = new BusinessHours("UTC", [1], null!, "18:00").Validate();
        Assert.NotNull(error);
        Assert.Contains("businessHours.start", error, StringComparison.Ordinal);
        Assert.Contains("businessHours.days", new BusinessHours("UTC", null!, "08:00", "18:00").Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_arithmetic_reads_a_single_digit_hour_as_the_typescript_did()
    {
        // Validate is the strict gate for new profiles; stored ones written as "8:00" still work.
        var lenient = BusinessTimeTests.London with { Start = "8:00" };
        Assert.True(BusinessTime.IsOpen(BusinessTimeTests.T("2026-03-02T08:00:00Z"), lenient));
    }

    [Fact]
    public void Hours_with_the_same_fields_are_equal()
    {
        Assert.Equal(BusinessHours.Default, new BusinessHours("UTC", [1, 2, 3, 4, 5], "08:00", "18:00"));
        Assert.Equal(BusinessHours.Default.GetHashCode(), new BusinessHours("UTC", [1, 2, 3, 4, 5], "08:00", "18:00").GetHashCode());
        Assert.NotEqual(BusinessHours.Default, BusinessHours.Default with { Days = [1, 2, 3, 4] });
        Assert.NotEqual(BusinessHours.Default, BusinessHours.Default with { End = "17:00" });
    }

    [Fact]
    public void A_zone_in_another_case_works_as_the_typescript_read_it_and_validation_gives_the_spelling()
    {
        var lower = BusinessTimeTests.London with { TimeZone = "europe/london" };
        // 07:30Z on 30 March is 08:30 BST: open only if the zone was really read as London's.
        Assert.True(BusinessTime.IsOpen(BusinessTimeTests.T("2026-03-30T07:30:00Z"), lower));
        Assert.Equal("businessHours.timeZone \"europe/london\" is spelled \"Europe/London\"", lower.Validate());
    }
}
