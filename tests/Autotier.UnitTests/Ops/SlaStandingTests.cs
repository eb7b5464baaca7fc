using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;
using Xunit;

namespace Autotier.UnitTests.Ops;

public sealed class SlaStandingTests
{
    private static readonly DateTimeOffset Filed = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Standard tier: response due in an hour, resolution in four.</summary>
    private static SlaView Sla(DateTimeOffset? responded = null, DateTimeOffset? resolutionDue = null, bool paused = false, bool warned = false, bool breached = false) =>
        new("standard", Filed.AddHours(1), responded, paused ? null : resolutionDue ?? Filed.AddHours(4), null, paused, warned, breached);

    [Fact]
    public void A_fresh_ticket_is_on_track_and_its_next_due_is_the_response()
    {
        var s = SlaStanding.Of(Sla(), Stage.Escalated, Filed, Filed.AddMinutes(10));
        Assert.Equal(SlaState.OnTrack, s.State);
        Assert.Equal(Filed.AddHours(1), s.NextDue);
        Assert.False(s.NeedsAttention);
    }

    [Fact]
    public void Three_quarters_into_the_response_window_it_is_at_risk_and_past_it_breached()
    {
        Assert.Equal(SlaState.OnTrack, SlaStanding.Of(Sla(), Stage.Escalated, Filed, Filed.AddMinutes(44)).State);
        Assert.Equal(SlaState.AtRisk, SlaStanding.Of(Sla(), Stage.Escalated, Filed, Filed.AddMinutes(45)).State);
        var late = SlaStanding.Of(Sla(), Stage.Escalated, Filed, Filed.AddMinutes(61));
        Assert.Equal(SlaState.Breached, late.State);
        Assert.Equal(SlaState.Breached, late.Response!.State);
        Assert.True(late.NeedsAttention);
    }

    [Fact]
    public void Once_a_person_answered_in_time_the_resolution_window_decides()
    {
        var s = SlaStanding.Of(Sla(responded: Filed.AddMinutes(20)), Stage.Escalated, Filed, Filed.AddHours(2));
        Assert.Equal(SlaState.Met, s.Response!.State);
        Assert.Equal(SlaState.OnTrack, s.State);
        Assert.Equal(Filed.AddHours(4), s.NextDue);
        Assert.Equal(SlaState.AtRisk, SlaStanding.Of(Sla(responded: Filed.AddMinutes(20)), Stage.Escalated, Filed, Filed.AddHours(3.5)).State);
        Assert.Equal(SlaState.Breached, SlaStanding.Of(Sla(responded: Filed.AddMinutes(20)), Stage.Escalated, Filed, Filed.AddHours(4.1)).State);
    }

    [Fact]
    public void The_workflows_own_warning_and_breach_count_even_before_the_clock_says_so()
    {
        // Business hours can put the due time far off while the workflow already warned: its word stands.
        Assert.Equal(SlaState.AtRisk, SlaStanding.Of(Sla(responded: Filed, warned: true), Stage.Escalated, Filed, Filed.AddMinutes(5)).State);
        Assert.Equal(SlaState.Breached, SlaStanding.Of(Sla(responded: Filed, breached: true), Stage.Escalated, Filed, Filed.AddMinutes(5)).State);
    }

    [Fact]
    public void A_late_answer_stays_a_breached_response_and_a_paused_clock_is_paused()
    {
        var late = SlaStanding.Of(Sla(responded: Filed.AddHours(2)), Stage.Escalated, Filed, Filed.AddHours(2));
        Assert.Equal(SlaState.Breached, late.Response!.State);
        var paused = SlaStanding.Of(Sla(responded: Filed.AddMinutes(5), paused: true), Stage.AwaitingConfirmation, Filed, Filed.AddDays(3));
        Assert.Equal(SlaState.Paused, paused.State);
        Assert.Null(paused.NextDue);
    }

    [Fact]
    public void Resolved_tickets_need_nobody_but_keep_their_breach_on_the_window()
    {
        var s = SlaStanding.Of(Sla(responded: Filed.AddMinutes(5), breached: true), Stage.Resolved, Filed, Filed.AddDays(1));
        Assert.Equal(SlaState.Met, s.State);
        Assert.Equal(SlaState.Breached, s.Resolution!.State);
        Assert.False(s.NeedsAttention);
        Assert.Equal(SlaState.None, SlaStanding.Of(null, Stage.Received, Filed, Filed).State);
    }
}
