using System.Text.Json;
using Autotier.Domain.Classification;
using Autotier.Domain.Lifecycle;
using Xunit;

namespace Autotier.UnitTests.Domain.Lifecycle;

/// <summary>The lifecycle half of the client profile (lifecycleFor and silencePolicy in lifecycle.ts).</summary>
public sealed class LifecycleSettingsTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Fills_in_defaults_and_lets_a_client_override_per_category()
    {
        var s = LifecycleSettings.For(new LifecycleSettings
        {
            OnSilence = new Dictionary<string, SilencePolicy> { [Categories.VpnRemoteAccess] = SilencePolicy.Escalate },
            TierLimitMinutes = new Dictionary<int, int> { [1] = 15, [2] = 60, [3] = 120 },
        });
        Assert.Equal(24, s.ReminderAfterHours);
        Assert.Equal(TimeSpan.FromMinutes(15), s.TierLimit(1));
        Assert.Equal(SilencePolicy.Escalate, s.SilenceFor(Categories.VpnRemoteAccess));
        Assert.Equal(SilencePolicy.Close, s.SilenceFor(Categories.PrinterPeripheral));
        Assert.Equal(SilencePolicy.Escalate, s.SilenceFor(Categories.PasswordReset));
    }

    [Fact]
    public void The_defaults_are_the_typescript_ones()
    {
        var s = LifecycleSettings.For(null);
        Assert.Equal(
            (30d, 60d, 120d, 24, 24, 7, 3),
            (s.TierLimit(1).TotalMinutes, s.TierLimit(2).TotalMinutes, s.TierLimit(3).TotalMinutes, s.ReminderAfterHours, s.SilenceAfterHours, s.ReopenWindowDays, s.MaxTier));
        Assert.Equal(
            ["escalate", "escalate", "close", "close", "close", "escalate"],
            Categories.All.Select(c => s.SilenceFor(c) == SilencePolicy.Close ? "close" : "escalate"));
    }

    [Fact]
    public void A_category_the_defaults_do_not_know_escalates() =>
        Assert.Equal(SilencePolicy.Escalate, LifecycleSettings.Default.SilenceFor("something_new"));

    [Fact]
    public void Tier_limits_merge_per_tier()
    {
        var s = new LifecycleSettings { TierLimitMinutes = new Dictionary<int, int> { [2] = 45 } };
        Assert.Equal([30, 45, 120], Enumerable.Range(1, 3).Select(t => (int)s.TierLimit(t).TotalMinutes));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.TierLimit(4));
    }

    [Fact]
    public void A_partial_json_lifecycle_reads_with_the_defaults_merged()
    {
        var s = JsonSerializer.Deserialize<LifecycleSettings>(
            """{"tierLimitMinutes": {"1": 15}, "onSilence": {"printer_peripheral": "escalate"}, "reopenWindowDays": 3}""", Web)!;
        Assert.Equal([15, 60, 120], Enumerable.Range(1, 3).Select(t => (int)s.TierLimit(t).TotalMinutes));
        Assert.Equal(SilencePolicy.Escalate, s.SilenceFor(Categories.PrinterPeripheral));
        Assert.Equal(SilencePolicy.Close, s.SilenceFor(Categories.SoftwareError));
        Assert.Equal((3, 24, 24, 3), (s.ReopenWindowDays, s.ReminderAfterHours, s.SilenceAfterHours, s.MaxTier));

        var none = JsonSerializer.Deserialize<LifecycleSettings>("""{"tierLimitMinutes": null, "onSilence": null}""", Web)!;
        Assert.Equal(TimeSpan.FromMinutes(30), none.TierLimit(1));
        Assert.Equal(SilencePolicy.Close, none.SilenceFor(Categories.VpnRemoteAccess));
    }

    [Fact]
    public void Serializes_with_the_typescript_names()
    {
        var json = JsonSerializer.Serialize(
            new LifecycleSettings { OnSilence = new Dictionary<string, SilencePolicy> { [Categories.SoftwareError] = SilencePolicy.Escalate } }, Web);
        Assert.Equal(
            """{"tierLimitMinutes":{"1":30,"2":60,"3":120},"reminderAfterHours":24,"silenceAfterHours":24,"reopenWindowDays":7,"onSilence":{"software_error":"escalate"},"maxTier":3}""",
            json);
    }

    [Fact]
    public void The_defaults_validate()
    {
        Assert.Null(LifecycleSettings.Default.Validate());
        Assert.Null(new LifecycleSettings { MaxTier = 2, ReopenWindowDays = 0 }.Validate());
    }

    [Theory]
    [InlineData("""{"tierLimitMinutes": {"1": 0}}""", "lifecycle.tierLimitMinutes.1")]
    [InlineData("""{"tierLimitMinutes": {"4": 30}}""", "tier 4")]
    [InlineData("""{"reminderAfterHours": 0}""", "lifecycle.reminderAfterHours")]
    [InlineData("""{"silenceAfterHours": -1}""", "lifecycle.silenceAfterHours")]
    [InlineData("""{"reopenWindowDays": -1}""", "lifecycle.reopenWindowDays")]
    [InlineData("""{"maxTier": 1}""", "lifecycle.maxTier")]
    [InlineData("""{"onSilence": {"printer": "close"}}""", "\"printer\"")]
    public void Bad_settings_are_named(string json, string expected)
    {
        var error = JsonSerializer.Deserialize<LifecycleSettings>(json, Web)!.Validate();
        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_silence_policy_that_is_neither_word_does_not_read()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LifecycleSettings>("""{"onSilence": {"vpn_remote_access": "ignore"}}""", Web));
    }
}
