using System.Text.Json.Serialization;

namespace Autotier.Domain.Alerts;

/// <summary>
/// Who an alert is for: the engineers of a tier, or whoever is on call. Each audience has its own
/// queue (<c>&lt;AUTOTIER_TIER_QUEUE_PREFIX&gt;1..3</c>, <c>&lt;prefix&gt;oncall</c>) and its own channels.
/// The wire names are the TypeScript app's.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Audience>))]
public enum Audience
{
    [JsonStringEnumMemberName("tier1")] Tier1,
    [JsonStringEnumMemberName("tier2")] Tier2,
    [JsonStringEnumMemberName("tier3")] Tier3,
    [JsonStringEnumMemberName("oncall")] OnCall,

    /// <summary>The duty manager: a breached ticket that stays open is theirs to chase (issue #32 fix 3). Not in the TypeScript app.</summary>
    [JsonStringEnumMemberName("manager")] Manager,
}

public static class Audiences
{
    public static IReadOnlyList<Audience> All { get; } = [Audience.Tier1, Audience.Tier2, Audience.Tier3, Audience.OnCall, Audience.Manager];

    /// <summary>The name AUTOTIER_NOTIFY and the queue messages use: tier1, tier2, tier3, oncall.</summary>
    public static string WireName(this Audience audience) => audience switch
    {
        Audience.Tier1 => "tier1",
        Audience.Tier2 => "tier2",
        Audience.Tier3 => "tier3",
        Audience.OnCall => "oncall",
        Audience.Manager => "manager",
        _ => throw new ArgumentOutOfRangeException(nameof(audience)),
    };

    public static bool TryParse(string? name, out Audience audience)
    {
        foreach (var a in All)
        {
            if (string.Equals(a.WireName(), name, StringComparison.Ordinal))
            {
                audience = a;
                return true;
            }
        }
        audience = default;
        return false;
    }

    /// <summary>Who sees "on call" or "tier 2" in a card.</summary>
    public static string Label(this Audience audience) =>
        audience switch
        {
            Audience.OnCall => "on call",
            Audience.Manager => "duty manager",
            _ => $"tier {audience.WireName()["tier".Length..]}",
        };

    /// <summary>The audience's queue: the prefix then 1..3 or <c>oncall</c> (TypeScript <c>alertQueueName</c>).</summary>
    public static string QueueName(this Audience audience, string prefix) =>
        prefix + (audience is Audience.OnCall or Audience.Manager ? audience.WireName() : audience.WireName()["tier".Length..]);

    /// <summary>The audience of an alert: on call when it says so, else its tier clamped to 1..3.</summary>
    public static Audience Of(AlertFacts alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Audience is Audience.OnCall or Audience.Manager) return alert.Audience.Value;
        return Math.Clamp(alert.Tier, 1, 3) switch
        {
            1 => Audience.Tier1,
            2 => Audience.Tier2,
            _ => Audience.Tier3,
        };
    }
}
