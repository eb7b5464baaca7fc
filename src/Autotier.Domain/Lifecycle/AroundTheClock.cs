using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Autotier.Domain.Classification;

namespace Autotier.Domain.Lifecycle;

/// <summary>
/// P1 tickets and security incidents do not wait for Monday: they run on a 24x7 clock with their
/// own windows, page the on-call at once, and page again until someone records a plan. The
/// profile's <c>p1</c>; every field is optional in JSON, and a field the profile got wrong (0, a
/// negative, a string) reads as absent so that <see cref="Sanitised"/> keeps the default.
/// </summary>
/// <param name="ResponseMinutes">Minutes, around the clock, until someone must have responded.</param>
/// <param name="ResolutionMinutes">Minutes, around the clock, until the ticket must be resolved.</param>
/// <param name="RepageMinutes">Minutes between pages while nobody has recorded a plan.</param>
/// <param name="MaxPages">Pages in all, the first included; after the last, the tier chain and SLA alerts carry on.</param>
public sealed record P1Settings(
    [property: JsonConverter(typeof(LenientMinutesJsonConverter))] int ResponseMinutes = 15,
    [property: JsonConverter(typeof(LenientMinutesJsonConverter))] int ResolutionMinutes = 240,
    [property: JsonConverter(typeof(LenientMinutesJsonConverter))] int RepageMinutes = 15,
    [property: JsonConverter(typeof(LenientMinutesJsonConverter))] int MaxPages = 8)
{
    /// <summary>The defaults (TS <c>DEFAULT_P1</c>).</summary>
    public static P1Settings Default { get; } = new();

    /// <summary>
    /// As the TypeScript <c>p1SettingsFor</c>: a value below 1 keeps the default, because a profile
    /// typo must not silence the pager.
    /// </summary>
    public P1Settings Sanitised() => new(
        Keep(ResponseMinutes, Default.ResponseMinutes),
        Keep(ResolutionMinutes, Default.ResolutionMinutes),
        Keep(RepageMinutes, Default.RepageMinutes),
        Keep(MaxPages, Default.MaxPages));

    /// <summary>The profile's settings with the defaults filled in (absent: all defaults).</summary>
    public static P1Settings For(P1Settings? overrides) => overrides?.Sanitised() ?? Default;

    private static int Keep(int value, int fallback) => value >= 1 ? value : fallback;
}

/// <summary>Which tickets run around the clock.</summary>
public static partial class AroundTheClockRule
{
    /// <summary>
    /// P1 tickets and security incidents, whatever their priority came out as (a reported phish may
    /// be P2; its windows still count every hour).
    /// </summary>
    public static bool Applies(TicketClassification classification)
    {
        ArgumentNullException.ThrowIfNull(classification);
        return classification.Priority == Priorities.P1
            || classification.Reasons.Any(r => SecurityIncident().IsMatch(r));
    }

    /// <summary>The safety screen's reason as a whole phrase, wherever the classifier put it in a reason line.</summary>
    [GeneratedRegex(@"\b" + DangerReasons.SecurityIncident + @"\b")]
    private static partial Regex SecurityIncident();
}

/// <summary>
/// Reads a count of minutes (or pages) the way the TypeScript profile reader did: a number is
/// floored, anything else (a string, null, an object) reads as 0, which the settings' sanitising
/// turns into the default. So one mistyped field does not make the whole profile unreadable.
/// </summary>
public sealed class LenientMinutesJsonConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value))
            return value is >= 1 and <= int.MaxValue ? (int)Math.Floor(value) : 0;
        reader.Skip();
        return 0;
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}
