using Autotier.Bench.Measures;
using Xunit;

namespace Autotier.UnitTests.Bench;

/// <summary>The cost arithmetic, worked by hand from the list prices (bench/cost.ts's formulas).</summary>
public sealed class CostModelTests
{
    private static readonly Prices Prices = Prices.List;
    private static readonly CostAssumptions Assumed = CostAssumptions.Default;
    private static readonly Dictionary<string, double> NoIdle = [];

    private static void Near(double expected, double actual) => Assert.InRange(actual, expected - 0.0051, expected + 0.0051);

    [Theory]
    [InlineData("table Tickets write", 0.00036)]
    [InlineData("table durable:History batch", 0.00036)]
    [InlineData("queue durable:control-00 read", 0.004)]
    [InlineData("blob models read", 0.004)]
    [InlineData("blob durable:leases write", 0.05)]
    public void Each_request_is_priced_by_its_class(string kind, double per10k) =>
        Assert.Equal(per10k / 10_000, Prices.PerRequest(kind), 12);

    [Fact]
    public void Ticket_storage_is_the_count_times_the_class_price_times_the_volume()
    {
        // 3,000 tickets x 100 blob writes = 300,000 x $0.05/10k = $1.50; x 1,000 table writes = 3e6 x $0.00036/10k = $0.108.
        var measured = new TicketMeasures(new Dictionary<string, double> { ["blob x write"] = 100, ["table Tickets write"] = 1000 }, 0, 0);
        var idle = IdleStorage.From(NoIdle, 0, 0, Assumed);
        var row = CostModel.Monthly(measured, idle, 3000, CostModel.NoAlwaysReady, Prices, Assumed);
        Near(1.61, row.Parts["storage, tickets"]);
    }

    [Fact]
    public void A_timer_every_minute_keeps_the_instance_warm_all_month()
    {
        // 60 wake-ups an hour x 5 warm minutes each >= the hour: warm 720 h x 3,600 polls x $0.004/10k = $1.0368.
        var idle = IdleStorage.From(new Dictionary<string, double> { ["queue q read (empty poll)"] = 3600 }, 6, 60, Assumed);
        Assert.Equal(1, idle.WarmFraction);
        var row = CostModel.Monthly(new TicketMeasures(NoIdle, 0, 0), idle, 0, CostModel.NoAlwaysReady, Prices, Assumed);
        Near(1.04, row.Parts["storage, idle"]);
    }

    [Fact]
    public void Scaled_to_zero_only_the_scale_controllers_checks_are_paid()
    {
        // No timers, no tickets: 6 queues x 360 checks an hour = 2,160/h x 720 h x $0.004/10k = $0.622.
        var idle = IdleStorage.From(new Dictionary<string, double> { ["queue q read (empty poll)"] = 3600 }, 6, 0, Assumed);
        Assert.Equal(0, idle.WarmFraction);
        Assert.Equal(2160, idle.ColdTotal);
        var row = CostModel.Monthly(new TicketMeasures(NoIdle, 0, 0), idle, 0, CostModel.NoAlwaysReady, Prices, Assumed);
        Near(0.62, row.Parts["storage, idle"]);
    }

    [Fact]
    public void Tickets_add_warm_hours_but_never_more_than_the_month()
    {
        var idle = IdleStorage.From(new Dictionary<string, double> { ["queue q read (empty poll)"] = 3600 }, 6, 60, Assumed);
        var none = new TicketMeasures(NoIdle, 0, 0);
        // Warm all month already: 3,000 tickets' bursts cannot make it warmer.
        Assert.Equal(
            CostModel.Monthly(none, idle, 0, CostModel.NoAlwaysReady, Prices, Assumed).Parts["storage, idle"],
            CostModel.Monthly(none, idle, 3000, CostModel.NoAlwaysReady, Prices, Assumed).Parts["storage, idle"]);
        // No timers: 100 tickets x 3 bursts x 5 min = 25 warm hours at 3,600/h, 695 cold hours at 2,160/h.
        var quiet = IdleStorage.From(new Dictionary<string, double> { ["queue q read (empty poll)"] = 3600 }, 6, 0, Assumed);
        var row = CostModel.Monthly(none, quiet, 100, CostModel.NoAlwaysReady, Prices, Assumed);
        Near((25 * 3600 + 695 * 2160) * 0.004 / 10_000, row.Parts["storage, idle"]);
    }

    [Fact]
    public void Compute_is_free_within_the_grant_and_an_always_ready_instance_pays_its_baseline()
    {
        var measured = new TicketMeasures(NoIdle, 10, 0);
        var idle = IdleStorage.From(NoIdle, 0, 60, Assumed);
        // 3,000 x 3 s x 2 GB = 18,000 GB-s and 30,000 + 43,200 executions: inside the free grant.
        Assert.Equal(0, CostModel.Monthly(measured, idle, 3000, CostModel.NoAlwaysReady, Prices, Assumed).Parts["compute"]);
        // Baseline 0.5 GB x 2,592,000 s x $0.000004 = $5.184; executing 18,000 GB-s scaled to 0.5 GB
        // = 4,500 GB-s x $0.000016 = $0.072; 73,200 executions x $0.4/1e6 = $0.029.
        var ready = CostModel.Monthly(measured, idle, 3000, "1 x 512 MB", Prices, Assumed);
        Near(5.184 + 4500 * 0.000016 + 73_200 * 0.4 / 1e6, ready.Parts["compute"]);
    }

    [Fact]
    public void Compute_beyond_the_grant_is_charged_per_GB_second()
    {
        // 20,000 tickets x 3 s x 2 GB = 120,000 GB-s: 20,000 over the grant x $0.000026 = $0.52.
        var row = CostModel.Monthly(new TicketMeasures(NoIdle, 0, 0), IdleStorage.From(NoIdle, 0, 0, Assumed), 20_000, CostModel.NoAlwaysReady, Prices, Assumed);
        Near(0.52, row.Parts["compute"]);
    }

    [Fact]
    public void The_total_is_the_sum_of_its_parts_and_the_table_has_every_volume_and_option()
    {
        var measured = new TicketMeasures(new Dictionary<string, double> { ["table Tickets write"] = 40, ["queue q write"] = 20 }, 12, 0);
        var idle = IdleStorage.From(new Dictionary<string, double> { ["queue q read (empty poll)"] = 20_000 }, 13, 60, Assumed);
        var table = CostModel.Table(measured, idle, Prices, Assumed);
        Assert.Equal(9, table.Count);
        Assert.All(table, r => Near(r.Parts.Values.Sum(), r.Usd));
        Assert.Equal([0, 300, 3000], table.Where(r => r.AlwaysReady == CostModel.NoAlwaysReady).Select(r => r.TicketsPerMonth));
        // More tickets never cost less.
        foreach (var option in CostModel.AlwaysReadyOptions)
        {
            var usd = table.Where(r => r.AlwaysReady == option).Select(r => r.Usd).ToArray();
            Assert.True(usd[0] <= usd[1] && usd[1] <= usd[2], option);
        }
    }
}
