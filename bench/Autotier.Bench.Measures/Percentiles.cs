namespace Autotier.Bench.Measures;

/// <summary>Latency summaries, as the TypeScript bench computes them (nearest rank, no interpolation).</summary>
public static class Percentiles
{
    /// <summary>
    /// The nearest-rank percentile: the smallest value with at least <paramref name="p"/> per cent
    /// of the values at or below it. A measured value, never one between two samples.
    /// </summary>
    public static double Of(IReadOnlyCollection<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        if (p is <= 0 or > 100) throw new ArgumentOutOfRangeException(nameof(p), p, "a percentile is in (0, 100]");
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The lower median of an odd or even count (a measured value, as <see cref="Of"/>).</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        return values.Order().ElementAt((values.Count - 1) / 2);
    }
}

/// <summary>p50, p95, p99 and the slowest, in milliseconds.</summary>
public sealed record LatencySummary(double P50, double P95, double P99, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> values) =>
        new(Percentiles.Of(values, 50), Percentiles.Of(values, 95), Percentiles.Of(values, 99), values.Max());
}
