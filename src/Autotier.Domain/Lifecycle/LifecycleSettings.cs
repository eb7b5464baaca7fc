using System.Text.Json.Serialization;
using Autotier.Domain.Classification;

namespace Autotier.Domain.Lifecycle;

/// <summary>What happens when a requester does not answer "Did this resolve your issue?" after a reminder.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SilencePolicy>))]
public enum SilencePolicy
{
    /// <summary>A person looks: were they really let back in?</summary>
    [JsonStringEnumMemberName("escalate")] Escalate,

    /// <summary>Closed as resolved, unconfirmed.</summary>
    [JsonStringEnumMemberName("close")] Close,
}

/// <summary>
/// Per-client knobs of the ticket lifecycle, the profile's <c>lifecycle</c> (TS
/// <c>LifecycleSettings</c>). Every field has the TypeScript default, so a profile naming only some
/// fields (JSON or <c>with</c>) gets the rest as <c>lifecycleFor</c> gave them, and tier limits are
/// merged per tier: <c>{"tierLimitMinutes": {"1": 15}}</c> keeps tiers 2 and 3 at 60 and 120.
/// </summary>
public sealed record LifecycleSettings
{
    private static readonly IReadOnlyDictionary<int, int> DefaultTierLimits =
        new Dictionary<int, int> { [1] = 30, [2] = 60, [3] = 120 }.AsReadOnly();

    private static readonly IReadOnlyDictionary<string, SilencePolicy> NoPolicies = new Dictionary<string, SilencePolicy>().AsReadOnly();

    /// <summary>
    /// Access and lockouts escalate when the requester goes quiet (were they really let back in?);
    /// guides close (TS <c>DEFAULT_SILENCE</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, SilencePolicy> DefaultSilence { get; } = new Dictionary<string, SilencePolicy>(StringComparer.Ordinal)
    {
        [Categories.PasswordReset] = SilencePolicy.Escalate,
        [Categories.SoftwareAccess] = SilencePolicy.Escalate,
        [Categories.VpnRemoteAccess] = SilencePolicy.Close,
        [Categories.PrinterPeripheral] = SilencePolicy.Close,
        [Categories.SoftwareError] = SilencePolicy.Close,
        [Categories.Engineering] = SilencePolicy.Escalate,
    }.AsReadOnly();

    /// <summary>The defaults (TS <c>DEFAULT_LIFECYCLE</c>); after the static fields above, which it reads as it is built.</summary>
    public static LifecycleSettings Default { get; } = new();

    private readonly IReadOnlyDictionary<int, int> tierLimitMinutes = DefaultTierLimits;

    /// <summary>Minutes each tier has to record a plan before the ticket goes up a tier, by tier (1, 2, 3).</summary>
    public IReadOnlyDictionary<int, int> TierLimitMinutes
    {
        get => tierLimitMinutes;
        init => tierLimitMinutes = MergeTierLimits(value);
    }

    /// <summary>Hours after the guide before the requester is reminded.</summary>
    public int ReminderAfterHours { get; init; } = 24;

    /// <summary>Hours after the reminder before the silence policy applies.</summary>
    public int SilenceAfterHours { get; init; } = 24;

    /// <summary>Days after a resolution in which a reply reopens the ticket.</summary>
    public int ReopenWindowDays { get; init; } = 7;

    private readonly IReadOnlyDictionary<string, SilencePolicy> onSilence = NoPolicies;

    /// <summary>The client's silence policy by category, over <see cref="DefaultSilence"/>.</summary>
    public IReadOnlyDictionary<string, SilencePolicy> OnSilence
    {
        get => onSilence;
        init => onSilence = value ?? NoPolicies;
    }

    /// <summary>The highest tier a ticket goes up to: 2 or 3.</summary>
    public int MaxTier { get; init; } = 3;

    /// <summary>The profile's settings with every default filled in (TS <c>lifecycleFor</c>).</summary>
    public static LifecycleSettings For(LifecycleSettings? overrides) => overrides ?? Default;

    /// <summary>What silence after the reminder does to a ticket of <paramref name="category"/> (TS <c>silencePolicy</c>).</summary>
    public SilencePolicy SilenceFor(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        if (OnSilence.TryGetValue(category, out var chosen)) return chosen;
        // An unknown category escalates, as the TypeScript's "anything but close" did: a person looks.
        return DefaultSilence.TryGetValue(category, out var policy) ? policy : SilencePolicy.Escalate;
    }

    /// <summary>The time tier <paramref name="tier"/> (1 to 3) has to record a plan.</summary>
    public TimeSpan TierLimit(int tier) =>
        TierLimitMinutes.TryGetValue(tier, out var minutes)
            ? TimeSpan.FromMinutes(minutes)
            : throw new ArgumentOutOfRangeException(nameof(tier), tier, "tiers are 1, 2 and 3");

    /// <summary>
    /// Why these settings cannot be used, or null when they can (for <c>autotier client set</c>): a
    /// tier limit or the reminder and silence waits under a minute's worth, a negative reopen window,
    /// a maximum tier other than 2 or 3, or a silence policy for a category that does not exist.
    /// </summary>
    public string? Validate()
    {
        foreach (var (tier, minutes) in TierLimitMinutes)
        {
            if (tier is < 1 or > 3) return $"lifecycle.tierLimitMinutes has tier {tier}: tiers are 1, 2 and 3";
            if (minutes < 1) return $"lifecycle.tierLimitMinutes.{tier} is {minutes}: give at least 1 minute";
        }
        if (ReminderAfterHours < 1) return $"lifecycle.reminderAfterHours is {ReminderAfterHours}: give at least 1 hour";
        if (SilenceAfterHours < 1) return $"lifecycle.silenceAfterHours is {SilenceAfterHours}: give at least 1 hour";
        if (ReopenWindowDays < 0) return $"lifecycle.reopenWindowDays is {ReopenWindowDays}: give 0 or more days";
        if (MaxTier is not (2 or 3)) return $"lifecycle.maxTier is {MaxTier}: it is 2 or 3";
        foreach (var category in OnSilence.Keys)
        {
            if (!Categories.IsCategory(category))
                return $"lifecycle.onSilence names \"{category}\", which is not a category ({string.Join(", ", Categories.All)})";
        }
        return null;
    }

    private static IReadOnlyDictionary<int, int> MergeTierLimits(IReadOnlyDictionary<int, int>? overrides)
    {
        if (overrides is null || overrides.Count == 0) return DefaultTierLimits;
        var merged = new Dictionary<int, int>(DefaultTierLimits);
        foreach (var (tier, minutes) in overrides) merged[tier] = minutes;
        return merged;
    }
}
