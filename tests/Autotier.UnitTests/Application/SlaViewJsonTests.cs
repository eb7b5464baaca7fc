using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Domain.Lifecycle;
using Xunit;

namespace Autotier.UnitTests.Application;

/// <summary>The ticket API's <c>sla</c> through the app's JSON options: the TypeScript SlaView's shape.</summary>
public sealed class SlaViewJsonTests
{
    private static readonly BusinessHours London = new("Europe/London", [1, 2, 3, 4, 5], "08:00", "18:00");

    [Fact]
    public void A_paused_view_with_nobody_responded_leaves_out_what_it_does_not_have()
    {
        var at = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)); // 09:00Z
        var clock = SlaClock.Start("standard", at).Pause(at.AddMinutes(20), London);
        var json = JsonSerializer.Serialize(SlaView.Of("standard", at, clock, London, null, null), AutotierJson.Options);
        Assert.Equal("""{"tier":"standard","responseDue":"2026-03-02T10:00:00.000Z","paused":true,"warned":false,"breached":false}""", json);
    }

    [Fact]
    public void A_running_p1_view_reads_back_as_written()
    {
        var at = new DateTimeOffset(2026, 3, 8, 22, 0, 0, TimeSpan.Zero);
        var view = SlaView.Of("premium", at, SlaClock.Start("premium", at, TimeSpan.FromMinutes(240)), BusinessHours.AroundTheClock, new P1Settings(), at.AddMinutes(9));
        var json = JsonSerializer.Serialize(view, AutotierJson.Options);
        Assert.Equal(
            """{"tier":"premium","responseDue":"2026-03-08T22:15:00.000Z","respondedAt":"2026-03-08T22:09:00.000Z","resolutionDue":"2026-03-09T02:00:00.000Z","aroundTheClock":true,"paused":false,"warned":false,"breached":false}""",
            json);
        Assert.Equal(view, JsonSerializer.Deserialize<SlaView>(json, AutotierJson.Options));
    }
}
