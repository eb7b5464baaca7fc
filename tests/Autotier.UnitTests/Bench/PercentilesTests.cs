using Autotier.Bench.Measures;
using Xunit;

namespace Autotier.UnitTests.Bench;

public sealed class PercentilesTests
{
    private static readonly double[] OneToTwenty = [.. Enumerable.Range(1, 20).Select(i => (double)i)];

    [Fact]
    public void P95_of_twenty_values_is_the_nineteenth_smallest()
    {
        // Nearest rank: ceil(0.95 * 20) = 19.
        Assert.Equal(19, Percentiles.Of(OneToTwenty, 95));
    }

    [Fact]
    public void Order_of_the_input_does_not_matter()
    {
        var shuffled = OneToTwenty.Reverse().ToArray();
        Assert.Equal(19, Percentiles.Of(shuffled, 95));
        Assert.Equal(10, Percentiles.Of(shuffled, 50));
    }

    [Fact]
    public void A_percentile_is_always_a_measured_value_never_an_interpolation()
    {
        double[] values = [100, 200, 300, 1000];
        // ceil(0.5 * 4) = 2 -> 200; ceil(0.99 * 4) = 4 -> 1000; an interpolating p95 would say 895.
        Assert.Equal(200, Percentiles.Of(values, 50));
        Assert.Equal(1000, Percentiles.Of(values, 95));
        Assert.Equal(1000, Percentiles.Of(values, 100));
        Assert.Equal(100, Percentiles.Of(values, 1));
    }

    [Fact]
    public void One_value_is_every_percentile()
    {
        Assert.Equal(7, Percentiles.Of([7], 50));
        Assert.Equal(7, Percentiles.Of([7], 99));
    }

    [Fact]
    public void No_values_or_a_percentile_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.Of([], 95));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1], 101));
    }

    [Fact]
    public void Median_of_an_even_count_is_the_lower_middle_value()
    {
        Assert.Equal(2, Percentiles.Median([4, 1, 3, 2]));
        Assert.Equal(3, Percentiles.Median([5, 1, 3]));
    }

    [Fact]
    public void Summary_names_p50_p95_p99_and_the_slowest()
    {
        var summary = LatencySummary.Of(OneToTwenty);
        Assert.Equal(new LatencySummary(10, 19, 20, 20), summary);
    }
}
