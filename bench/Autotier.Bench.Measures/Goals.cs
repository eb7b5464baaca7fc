namespace Autotier.Bench.Measures;

/// <summary>Issue #35's goals for the end-to-end bench, and whether a run met each.</summary>
public sealed record Goals(double MinTicketsPerSecond = 50, double MaxAckP95UnderLoadMs = 1000, double MaxUsdPerClientMonth = 10, int AtTicketsPerMonth = 300)
{
    public static Goals Issue35 { get; } = new();

    /// <summary>Every round must reach the rate (the slowest round decides: no decay allowed).</summary>
    public bool ThroughputMet(IReadOnlyCollection<double> ticketsPerSecondByRound)
    {
        ArgumentNullException.ThrowIfNull(ticketsPerSecondByRound);
        return ticketsPerSecondByRound.Count > 0 && ticketsPerSecondByRound.Min() >= MinTicketsPerSecond;
    }

    /// <summary>The worst round's p95 under load.</summary>
    public bool AckMet(IReadOnlyCollection<double> ackP95ByRoundMs)
    {
        ArgumentNullException.ThrowIfNull(ackP95ByRoundMs);
        return ackP95ByRoundMs.Count > 0 && ackP95ByRoundMs.Max() <= MaxAckP95UnderLoadMs;
    }

    public bool CostMet(double usdPerClientMonth) => usdPerClientMonth <= MaxUsdPerClientMonth;
}
