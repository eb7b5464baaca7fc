using Autotier.Domain.Metrics;
using Xunit;

namespace Autotier.UnitTests.Domain.OutcomeLog;

/// <summary>The default range on a clock with ticks below the millisecond (found by MetricsMonthTests).</summary>
public sealed class MetricsRangeDefaultTests
{
    [Fact]
    public void The_default_range_is_cut_to_the_millisecond_so_a_ticket_received_exactly_30_days_ago_is_in()
    {
        var received = new DateTimeOffset(2026, 12, 14, 10, 0, 0, 1, TimeSpan.Zero);
        // The clock 30 days on, 0.4 ms into the next millisecond: the ticket's time was stored as received.
        var now = received.AddDays(30).AddTicks(4_000);
        var range = MetricsRange.Parse(null, null, now).Value!;
        Assert.Equal(received, range.From);
        Assert.Equal(received.AddDays(30), range.To);
        Assert.True(received >= range.From, "from is inclusive");
    }
}
