using Autotier.Domain.Alerts;
using Xunit;

namespace Autotier.UnitTests.Domain.Alerts;

public sealed class AlertDigestTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);
    private static readonly DigestPolicy Policy = DigestPolicy.Default;

    private static AlertFacts Alert(int i) => new($"k{i}", $"T-{1000 + i}", "contoso", 3, AlertKinds.TierLimitPassed, "", T0);

    [Fact]
    public void Five_within_the_window_go_alone_the_sixth_is_gathered_until_the_window_passes()
    {
        var state = AlertDigestState.Empty;
        var admissions = new List<AlertAdmission>();
        for (var i = 0; i < 8; i++)
        {
            (state, var admission) = AlertDigest.Admit(state, Alert(i), T0.AddSeconds(20 * i), Policy);
            admissions.Add(admission);
        }
        Assert.Equal([.. Enumerable.Repeat(AlertAdmission.Alone, 5), .. Enumerable.Repeat(AlertAdmission.Gathered, 3)], admissions);

        var opened = T0.AddSeconds(100);
        Assert.Null(AlertDigest.Flush(state, Audience.Tier3, opened.AddMinutes(5).AddSeconds(-1), Policy).Due);
        var (flushed, due) = AlertDigest.Flush(state, Audience.Tier3, opened.AddMinutes(5), Policy);
        Assert.NotNull(due);
        Assert.Equal(["k5", "k6", "k7"], due.Alerts.Select(a => a.Key));
        Assert.Equal(opened, due.OpenedAt);
        // Sealed: flushing again (another instance, a retry) hands out the same batch until it is delivered.
        Assert.Same(due, AlertDigest.Flush(flushed, Audience.Tier3, opened.AddMinutes(9), Policy).Due);
        var delivered = AlertDigest.Delivered(flushed, due.Id);
        Assert.Null(delivered.Sealed);
        Assert.Null(AlertDigest.Flush(delivered, Audience.Tier3, opened.AddMinutes(9), Policy).Due);
    }

    [Fact]
    public void After_a_storm_alerts_go_alone_again_once_the_hours_singles_are_free()
    {
        var state = AlertDigestState.Empty;
        for (var i = 0; i < 6; i++) (state, _) = AlertDigest.Admit(state, Alert(i), T0, Policy);
        (state, var due) = AlertDigest.Flush(state, Audience.Tier3, T0.AddMinutes(5), Policy);
        state = AlertDigest.Delivered(state, due!.Id);
        // Quiet for a window, but the hour's singles went in the burst: still gathered.
        Assert.Equal(AlertAdmission.Gathered, AlertDigest.Admit(state, Alert(9), T0.AddMinutes(11), Policy).Admission);
        Assert.Equal(AlertAdmission.Alone, AlertDigest.Admit(state, Alert(9), T0.AddMinutes(61), Policy).Admission);
    }

    [Fact]
    public void A_steady_trickle_below_the_burst_rate_is_capped_per_hour()
    {
        var state = AlertDigestState.Empty;
        var alone = 0;
        for (var i = 0; i < 50; i++)
        {
            var now = T0.AddSeconds(70 * i);
            (state, var admission) = AlertDigest.Admit(state, Alert(i), now, Policy);
            if (admission == AlertAdmission.Alone) alone++;
            (state, var due) = AlertDigest.Flush(state, Audience.Tier3, now, Policy);
            if (due is not null) state = AlertDigest.Delivered(state, due.Id);
        }
        Assert.Equal(Policy.MaxSinglePerHour, alone);
    }

    [Fact]
    public void A_redelivered_alert_is_gathered_once()
    {
        var state = AlertDigestState.Empty;
        for (var i = 0; i < 6; i++) (state, _) = AlertDigest.Admit(state, Alert(i), T0, Policy);
        (state, var again) = AlertDigest.Admit(state, Alert(5), T0.AddSeconds(10), Policy);
        Assert.Equal(AlertAdmission.Gathered, again);
        Assert.Single(state.Pending, a => a.Key == "k5");
    }

    [Fact]
    public void A_digest_lists_at_most_max_entries_and_counts_the_rest_so_the_row_stays_small()
    {
        var state = AlertDigestState.Empty;
        for (var i = 0; i < 5 + Policy.MaxEntries + 7; i++)
            (state, _) = AlertDigest.Admit(state, Alert(i) with { Message = new string('x', 5000) }, T0, Policy);
        var (_, due) = AlertDigest.Flush(state, Audience.Tier3, T0.AddMinutes(5), Policy);
        Assert.Equal(Policy.MaxEntries, due!.Alerts.Count);
        Assert.Equal(7, due.More);
        Assert.All(due.Alerts, a => Assert.True(a.Message.Length <= 200));
        Assert.True(state.Arrivals.Count <= Policy.BurstSize);
    }

    [Fact]
    public void A_P1_page_goes_alone_even_in_a_storm_that_gathers_everything_else()
    {
        var state = AlertDigestState.Empty;
        for (var i = 0; i < 8; i++) (state, _) = AlertDigest.Admit(state, Alert(i), T0, Policy);
        Assert.Equal(AlertAdmission.Gathered, AlertDigest.Admit(state, Alert(20), T0, Policy).Admission);

        var page = new AlertFacts("p1-page-0-1", "T-2000", "contoso", 2, AlertKinds.P1Page, "P1 T-2000: page 1 of 8", T0) { Audience = Audience.OnCall };
        Assert.Equal(AlertAdmission.Alone, AlertDigest.Admit(state, page, T0, Policy).Admission);
    }
}
