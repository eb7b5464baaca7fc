namespace Autotier.Bench.Measures;

/// <summary>
/// USD list prices, pay as you go, as bench/cost.ts has them (checked 2026-11; sources and dates in
/// docs/bench-csharp.md). One record so a test can price with other figures.
/// </summary>
public sealed record Prices
{
    // Azure Functions pricing page, Flex Consumption; Retail Prices API, East US 2, 2026-10-05.
    public double FlexOnDemandGbSecond { get; init; } = 0.000026;
    public double FlexOnDemandPerMillionExecutions { get; init; } = 0.4;
    /// <summary>Free on-demand grant per month and subscription (shared by every client instance in it).</summary>
    public double FlexFreeGbSeconds { get; init; } = 100_000;
    public double FlexFreeExecutions { get; init; } = 250_000;
    public double FlexAlwaysReadyBaselineGbSecond { get; init; } = 0.000004;
    public double FlexAlwaysReadyExecutionGbSecond { get; init; } = 0.000016;
    // Azure Storage pricing, GPv2, LRS, Hot: transactions per 10,000 by class.
    public double TablePer10k { get; init; } = 0.00036;
    public double QueuePer10k { get; init; } = 0.004;
    public double BlobWritePer10k { get; init; } = 0.05;
    public double BlobReadPer10k { get; init; } = 0.004;
    // Azure Communication Services email, per message.
    public double AcsPerEmail { get; init; } = 0.00025;
    // Azure Monitor: Analytics logs ingestion per GB.
    public double LogAnalyticsPerGb { get; init; } = 2.3;

    public static Prices List { get; } = new();

    /// <summary>One request of a kind (<c>table … write</c>, <c>blob … read</c>): tables, queues, blob reads and writes each have their price.</summary>
    public double PerRequest(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var parts = kind.Split(' ');
        return parts[0] switch
        {
            "table" => TablePer10k / 10_000,
            "queue" => QueuePer10k / 10_000,
            // Blob reads and listings are the cheaper class; everything else (put, lease, delete) the write class.
            _ => (parts.Length > 2 && parts[2].StartsWith("read", StringComparison.Ordinal) ? BlobReadPer10k : BlobWritePer10k) / 10_000,
        };
    }
}

/// <summary>What the bench could not measure: each an assumption, stated (as bench/cost.ts has them).</summary>
public sealed record CostAssumptions
{
    /// <summary>The Flex Consumption default instance size.</summary>
    public double InstanceMemoryGb { get; init; } = 2;
    public double MonthSeconds { get; init; } = 30 * 24 * 3600;
    /// <summary>How long an instance stays up (and its Durable listener polls) after its last execution: undocumented for Flex, assumed.</summary>
    public double WarmMinutesAfterWork { get; init; } = 5;
    /// <summary>Active periods a ticket causes: intake, the answer, the close.</summary>
    public double BurstsPerTicket { get; init; } = 3;
    /// <summary>The scale controller's look at each watched queue while scaled to zero.</summary>
    public double ScaleControllerCheckSeconds { get; init; } = 10;
    /// <summary>Acknowledgement, guide, outcome, and one in three gets a reminder or update.</summary>
    public double MailsPerTicket { get; init; } = 3.3;
    public double LogKbPerTicket { get; init; } = 40;
    public double IdleLogMbPerMonth { get; init; } = 30;

    public static CostAssumptions Default { get; } = new();
}

/// <summary>What the bench counted for one typical ticket (half confirmed by the requester, half escalated).</summary>
public sealed record TicketMeasures(
    IReadOnlyDictionary<string, double> StorageByKind,
    double ExecutionsPerTicket,
    double ActiveSecondsPerTicket);

/// <summary>Storage requests of an app with no tickets: per hour while an instance is up, and while scaled to zero.</summary>
public sealed record IdleStorage(
    IReadOnlyDictionary<string, double> WarmPerHour,
    IReadOnlyDictionary<string, double> ColdPerHour,
    double TimerWakeUpsPerHour,
    double WarmFraction)
{
    public double WarmTotal => WarmPerHour.Values.Sum();

    public double ColdTotal => ColdPerHour.Values.Sum();

    /// <summary>A scale-to-zero instance with no tickets, its timers waking it: requests per hour.</summary>
    public double PerHour => ColdTotal * (1 - WarmFraction) + WarmTotal * WarmFraction;

    /// <summary>What a warm hour costs: each kind at its own price (lease blobs are not queue polls).</summary>
    public double WarmUsdPerHour(Prices prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return WarmPerHour.Sum(k => k.Value * prices.PerRequest(k.Key));
    }

    /// <summary>
    /// Idle storage from what the bench counted while the app sat idle on the same provider
    /// (<paramref name="measuredWarmPerHour"/>: the Durable dispatchers' polls, lease renewals, the
    /// queue triggers' polls), and the scale controller's checks while scaled to zero (assumed: it
    /// runs outside the app and cannot be counted here). A timer that runs every minute keeps the
    /// instance warm all the time.
    /// </summary>
    public static IdleStorage From(
        IReadOnlyDictionary<string, double> measuredWarmPerHour, int watchedQueues, double timerWakeUpsPerHour, CostAssumptions assumptions)
    {
        ArgumentNullException.ThrowIfNull(measuredWarmPerHour);
        ArgumentNullException.ThrowIfNull(assumptions);
        var cold = new Dictionary<string, double>
        {
            [$"queue scale controller checks of {watchedQueues} queues (assumed every {assumptions.ScaleControllerCheckSeconds} s)"] =
                Math.Round(watchedQueues * 3600 / assumptions.ScaleControllerCheckSeconds),
        };
        var warmFraction = Math.Min(1, timerWakeUpsPerHour * assumptions.WarmMinutesAfterWork / 60);
        return new IdleStorage(measuredWarmPerHour, cold, timerWakeUpsPerHour, warmFraction);
    }
}

/// <summary>One row of the cost table: a client instance for a month.</summary>
public sealed record CostRow(int TicketsPerMonth, string AlwaysReady, double Usd, IReadOnlyDictionary<string, double> Parts);

/// <summary>
/// The monthly cost of one client instance from the counted requests and executions, as
/// bench/cost.ts models it, with two differences: idle requests are priced by their own class (a
/// lease renewal is not a queue poll) and warm hours never add up to more than the month. Storage
/// is priced per request by class; compute on Flex Consumption's on-demand GB-seconds and
/// executions after the free grant, or an always-ready instance's baseline.
/// </summary>
public static class CostModel
{
    public const string NoAlwaysReady = "none";
    public static readonly string[] AlwaysReadyOptions = [NoAlwaysReady, "1 x 512 MB", "1 x 2 GB"];
    public static readonly int[] Volumes = [0, 300, 3000];

    public static CostRow Monthly(TicketMeasures measured, IdleStorage idle, int ticketsPerMonth, string alwaysReady, Prices prices, CostAssumptions assumptions)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(idle);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(assumptions);
        var hours = assumptions.MonthSeconds / 3600;
        var ticketStorage = ticketsPerMonth * measured.StorageByKind.Sum(k => k.Value * prices.PerRequest(k.Key));
        // Each burst of work keeps an instance up, and polling, for a while after it.
        var warmHoursFromTickets = Math.Min(hours, ticketsPerMonth * assumptions.BurstsPerTicket * assumptions.WarmMinutesAfterWork / 60);
        var coldUsdPerHour = idle.ColdTotal * prices.QueuePer10k / 10_000;
        var warmUsdPerHour = idle.WarmUsdPerHour(prices);
        double idleStorage;
        if (alwaysReady == NoAlwaysReady)
        {
            // The timers' warm share of the month, and the tickets' warm hours on top, never more than the month.
            var warmHours = Math.Min(hours, idle.WarmFraction * hours + warmHoursFromTickets);
            idleStorage = warmHours * warmUsdPerHour + (hours - warmHours) * coldUsdPerHour;
        }
        else idleStorage = hours * warmUsdPerHour;

        var gbSeconds = ticketsPerMonth * Math.Max(measured.ActiveSecondsPerTicket, assumptions.BurstsPerTicket) * assumptions.InstanceMemoryGb;
        var executions = ticketsPerMonth * measured.ExecutionsPerTicket + idle.TimerWakeUpsPerHour * hours;
        double compute;
        if (alwaysReady == NoAlwaysReady)
        {
            compute = Math.Max(0, gbSeconds - prices.FlexFreeGbSeconds) * prices.FlexOnDemandGbSecond
                + Math.Max(0, executions - prices.FlexFreeExecutions) / 1e6 * prices.FlexOnDemandPerMillionExecutions;
        }
        else
        {
            var memory = alwaysReady == "1 x 512 MB" ? 0.5 : 2;
            compute = memory * assumptions.MonthSeconds * prices.FlexAlwaysReadyBaselineGbSecond
                + gbSeconds / assumptions.InstanceMemoryGb * memory * prices.FlexAlwaysReadyExecutionGbSecond
                + executions / 1e6 * prices.FlexOnDemandPerMillionExecutions;
        }
        var mail = ticketsPerMonth * assumptions.MailsPerTicket * prices.AcsPerEmail;
        // The first 5 GB a month are free per billing account, shared by every client: charged here in full.
        var logs = (ticketsPerMonth * assumptions.LogKbPerTicket / 1e6 + assumptions.IdleLogMbPerMonth / 1e3) * prices.LogAnalyticsPerGb;
        var parts = new Dictionary<string, double>
        {
            ["storage, tickets"] = Round2(ticketStorage),
            ["storage, idle"] = Round2(idleStorage),
            ["compute"] = Round2(compute),
            ["mail (ACS)"] = Round2(mail),
            ["logs"] = Round2(logs),
        };
        return new CostRow(ticketsPerMonth, alwaysReady, Round2(parts.Values.Sum()), parts);
    }

    public static IReadOnlyList<CostRow> Table(TicketMeasures measured, IdleStorage idle, Prices prices, CostAssumptions assumptions) =>
        [.. AlwaysReadyOptions.SelectMany(a => Volumes.Select(v => Monthly(measured, idle, v, a, prices, assumptions)))];

    private static double Round2(double x) => Math.Round(x, 2, MidpointRounding.AwayFromZero);
}
