using Autotier.Bench.Measures;
using Xunit;

namespace Autotier.UnitTests.Bench;

public sealed class GoalsAndSchedulesTests
{
    [Fact]
    public void Throughput_is_met_only_when_every_round_reaches_it()
    {
        var goals = Goals.Issue35;
        Assert.True(goals.ThroughputMet([50, 61, 55]));
        Assert.False(goals.ThroughputMet([80, 75, 49.9]));
        Assert.False(goals.ThroughputMet([]));
    }

    [Fact]
    public void Ack_under_load_is_met_only_when_the_worst_round_is_within_a_second()
    {
        var goals = Goals.Issue35;
        Assert.True(goals.AckMet([1000, 200]));
        Assert.False(goals.AckMet([300, 1001]));
    }

    [Fact]
    public void Cost_is_met_at_ten_dollars_or_less()
    {
        Assert.True(Goals.Issue35.CostMet(10));
        Assert.False(Goals.Issue35.CostMet(10.01));
    }

    [Theory]
    [InlineData(new[] { "0 5 * * * *", "0 17 * * * *", "0 5 * * * *" }, 2)]
    [InlineData(new[] { "0 */5 * * * *", "0 17 * * * *" }, 12)]
    [InlineData(new[] { "0 * * * * *", "0 */5 * * * *" }, 60)]
    [InlineData(new string[0], 0)]
    public void Timer_wake_ups_an_hour(string[] schedules, double perHour) =>
        Assert.Equal(perHour, Schedules.WakeUpsPerHour(schedules));

    [Fact]
    public void A_schedule_it_cannot_read_is_refused_rather_than_counted_as_zero()
    {
        Assert.Throws<FormatException>(() => Schedules.WakeUpsPerHour(["0 5 * * *"]));
        Assert.Throws<FormatException>(() => Schedules.WakeUpsPerHour(["0 5,35 * * * *"]));
    }
}
