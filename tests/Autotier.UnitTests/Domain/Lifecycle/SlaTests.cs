using System.Text.Json;
using Autotier.Domain.Lifecycle;
using Xunit;
using static Autotier.UnitTests.Domain.Lifecycle.BusinessTimeTests;

namespace Autotier.UnitTests.Domain.Lifecycle;

/// <summary>The SLA windows, the resolution clock and the view the ticket API shows (sla.ts).</summary>
public sealed class SlaTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("premium", 30, 120)]
    [InlineData("standard", 60, 240)]
    [InlineData("basic", 240, 960)]
    public void Each_tier_has_its_windows(string tier, int responseMinutes, int resolutionMinutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(responseMinutes), SlaPolicies.Response(tier));
        Assert.Equal(TimeSpan.FromMinutes(resolutionMinutes), SlaPolicies.Resolution(tier));
    }

    [Fact]
    public void An_unknown_tier_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SlaPolicies.Response("gold"));
        Assert.False(SlaTiers.IsTier("gold"));
        Assert.All(SlaTiers.All, t => Assert.True(SlaTiers.IsTier(t)));
    }

    [Fact]
    public void The_clock_stops_while_paused_and_resumes_with_what_is_left()
    {
        var clock = SlaClock.Start("standard", T("2026-03-02T10:00:00Z"));
        Assert.Equal(T("2026-03-02T14:00:00Z"), clock.Reaches(1, London));
        Assert.Equal(T("2026-03-02T13:00:00Z"), clock.Reaches(SlaPolicies.WarningFraction, London));
        clock = clock.Pause(T("2026-03-02T11:00:00Z"), London);
        Assert.Null(clock.Reaches(1, London));
        Assert.Equal(TimeSpan.FromHours(1), clock.Used);
        clock = clock.Resume(T("2026-03-03T09:00:00Z"));
        Assert.Equal(T("2026-03-03T12:00:00Z"), clock.Reaches(1, London));
    }

    [Fact]
    public void Pausing_a_paused_clock_and_resuming_a_running_one_change_nothing()
    {
        var running = SlaClock.Start("premium", T("2026-03-02T10:00:00Z"));
        Assert.Same(running, running.Resume(T("2026-03-02T11:00:00Z")));
        var paused = running.Pause(T("2026-03-02T10:30:00Z"), London);
        Assert.Same(paused, paused.Pause(T("2026-03-02T12:00:00Z"), London));
    }

    [Fact]
    public void A_spent_budget_is_due_at_once_and_a_p1_budget_replaces_the_tiers()
    {
        var clock = SlaClock.Start("premium", T("2026-03-02T10:00:00Z")) with { Used = TimeSpan.FromHours(5) };
        Assert.Equal(T("2026-03-02T10:00:00Z"), clock.Reaches(1, London));
        var p1 = SlaClock.Start("basic", T("2026-03-07T23:00:00Z"), TimeSpan.FromMinutes(240));
        Assert.Equal(T("2026-03-08T03:00:00Z"), p1.Reaches(1, BusinessHours.AroundTheClock));
    }

    [Fact]
    public void The_view_counts_windows_in_business_hours()
    {
        // Premium, received Friday 17:30 GMT: 30 minutes to respond, then 90 of 120 minutes on Monday.
        var at = T("2026-03-06T17:30:00Z");
        var view = SlaView.Of("premium", at, SlaClock.Start("premium", at), London, null, null);
        Assert.Equal(T("2026-03-06T18:00:00Z"), view.ResponseDue);
        Assert.Equal(T("2026-03-09T09:30:00Z"), view.ResolutionDue);
        Assert.Null(view.AroundTheClock);
        Assert.False(view.Paused);
        Assert.Equal(T("2026-03-09T10:00:00Z"), SlaPolicies.ResponseDue("basic", T("2026-03-06T16:00:00Z"), London));
    }

    [Fact]
    public void A_p1_view_runs_around_the_clock_with_the_p1_response_minutes()
    {
        var at = T("2026-03-08T22:00:00Z"); // Sunday night
        var clock = SlaClock.Start("standard", at, TimeSpan.FromMinutes(240));
        var view = SlaView.Of("standard", at, clock, BusinessHours.AroundTheClock, new P1Settings(ResponseMinutes: 20), null);
        Assert.Equal(T("2026-03-08T22:20:00Z"), view.ResponseDue);
        Assert.Equal(T("2026-03-09T02:00:00Z"), view.ResolutionDue);
        Assert.True(view.AroundTheClock);
    }

    [Fact]
    public void Until_a_person_responds_the_view_promises_the_response_then_the_resolution()
    {
        var at = T("2026-03-02T10:00:00Z");
        var clock = SlaClock.Start("standard", at);
        var waiting = SlaView.Of("standard", at, clock, London, null, null);
        Assert.Null(waiting.RespondedAt);
        Assert.Equal(T("2026-03-02T11:00:00Z"), waiting.Promised());
        var answered = SlaView.Of("standard", at, clock, London, null, T("2026-03-02T10:40:00Z"));
        Assert.Equal(T("2026-03-02T10:40:00Z"), answered.RespondedAt);
        Assert.Equal(T("2026-03-02T14:00:00Z"), answered.Promised());
        var p1 = SlaView.Of("standard", at, SlaClock.Start("standard", at, TimeSpan.FromMinutes(240)), BusinessHours.AroundTheClock, new P1Settings(), null);
        Assert.Equal(at.AddMinutes(15), p1.Promised());
    }

    [Fact]
    public void A_paused_view_has_no_resolution_due_and_says_so()
    {
        var at = T("2026-03-02T10:00:00Z");
        var clock = SlaClock.Start("standard", at).Pause(T("2026-03-02T10:05:00Z"), London) with { Warned = true };
        var view = SlaView.Of("standard", at, clock, London, null, null);
        Assert.True(view.Paused);
        Assert.True(view.Warned);
        Assert.Null(view.ResolutionDue);
        Assert.Equal(view.ResponseDue, view.Promised());
    }

    [Fact]
    public void The_view_serializes_with_the_typescript_names_and_iso_instants()
    {
        var at = T("2026-03-08T22:00:00Z").AddTicks(12_345); // sub-millisecond: dropped, as toISOString does
        var view = SlaView.Of("standard", at, SlaClock.Start("standard", at, TimeSpan.FromMinutes(240)), BusinessHours.AroundTheClock, new P1Settings(), at.AddMinutes(3));
        var json = JsonSerializer.Serialize(view, Web);
        Assert.Equal(
            """{"tier":"standard","responseDue":"2026-03-08T22:15:00.001Z","respondedAt":"2026-03-08T22:03:00.001Z","resolutionDue":"2026-03-09T02:00:00.001Z","aroundTheClock":true,"paused":false,"warned":false,"breached":false}""",
            json);
        Assert.Equal(view, JsonSerializer.Deserialize<SlaView>(json, Web));

        var office = SlaView.Of("basic", T("2026-03-02T10:00:00Z"), SlaClock.Start("basic", T("2026-03-02T10:00:00Z")).Pause(T("2026-03-02T10:00:00Z"), London), London, null, null);
        var plain = JsonSerializer.Serialize(office, Web);
        Assert.Equal("""{"tier":"basic","responseDue":"2026-03-02T14:00:00.000Z","respondedAt":null,"resolutionDue":null,"paused":true,"warned":false,"breached":false}""", plain);
    }
}
