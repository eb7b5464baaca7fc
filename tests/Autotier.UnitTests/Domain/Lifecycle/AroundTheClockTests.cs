using System.Text.Json;
using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Xunit;

namespace Autotier.UnitTests.Domain.Lifecycle;

/// <summary>P1 settings and which tickets run around the clock (aroundTheClock.ts).</summary>
public sealed class AroundTheClockTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static TicketClassification Classified(string priority, params string[] reasons) =>
        new(Categories.Engineering, priority, 0.9, Routes.Escalate, 3, reasons);

    [Fact]
    public void The_defaults_are_the_typescript_ones()
    {
        var p1 = P1Settings.For(null);
        Assert.Equal((15, 240, 15, 8), (p1.ResponseMinutes, p1.ResolutionMinutes, p1.RepageMinutes, p1.MaxPages));
    }

    [Fact]
    public void A_value_below_one_keeps_the_default_so_a_typo_does_not_silence_the_pager()
    {
        var p1 = new P1Settings(ResponseMinutes: 0, ResolutionMinutes: -5, RepageMinutes: 30, MaxPages: 1).Sanitised();
        Assert.Equal((15, 240, 30, 1), (p1.ResponseMinutes, p1.ResolutionMinutes, p1.RepageMinutes, p1.MaxPages));
    }

    [Fact]
    public void Json_fields_are_optional_and_a_mistyped_one_reads_as_the_default()
    {
        var p1 = P1Settings.For(JsonSerializer.Deserialize<P1Settings>(
            """{"responseMinutes": "ten", "resolutionMinutes": 120.9, "repageMinutes": null, "maxPages": 0}""", Web));
        Assert.Equal((15, 120, 15, 8), (p1!.ResponseMinutes, p1.ResolutionMinutes, p1.RepageMinutes, p1.MaxPages));
        var partial = JsonSerializer.Deserialize<P1Settings>("""{"repageMinutes": 5}""", Web)!;
        Assert.Equal((15, 240, 5, 8), (partial.ResponseMinutes, partial.ResolutionMinutes, partial.RepageMinutes, partial.MaxPages));
        Assert.Equal("""{"responseMinutes":15,"resolutionMinutes":240,"repageMinutes":5,"maxPages":8}""", JsonSerializer.Serialize(partial, Web));
    }

    [Theory]
    [InlineData("P1", new string[0], true)]
    [InlineData("P2", new[] { "never automated: security incident" }, true)]
    [InlineData("P3", new[] { "rule: vpn (vpn_remote_access)", "security incident: P1" }, true)]
    [InlineData("P2", new[] { "never automated: site-wide outage" }, false)]
    [InlineData("P2", new[] { "security incidents are listed in the kb" }, false)] // not the whole phrase
    [InlineData("P4", new string[0], false)]
    public void P1_tickets_and_security_incidents_run_around_the_clock(string priority, string[] reasons, bool expected) =>
        Assert.Equal(expected, AroundTheClockRule.Applies(Classified(priority, reasons)));

    [Fact]
    public void The_safety_screens_security_reason_is_the_one_matched()
    {
        // The classifier writes the screen's reason into its reason lines; the rule reads that phrase.
        Assert.True(AroundTheClockRule.Applies(Classified(Priorities.P3, $"never automated: {DangerReasons.SecurityIncident}")));
    }

    [Fact]
    public void The_classifiers_own_answers_are_read_alike()
    {
        // A reported phish is a security incident the screen does not call critical: not P1, still 24x7.
        var phish = TicketClassifier.Classify("Suspicious email", "I got a phishing email asking for my password. I did not click the link.");
        Assert.NotEqual(Priorities.P1, phish.Priority);
        Assert.True(AroundTheClockRule.Applies(phish));
        Assert.True(AroundTheClockRule.Applies(TicketClassifier.Classify("Help", "A ransom note is on my screen")));
        Assert.False(AroundTheClockRule.Applies(TicketClassifier.Classify("Printer jam", "paper stuck in tray 2")));
    }
}
