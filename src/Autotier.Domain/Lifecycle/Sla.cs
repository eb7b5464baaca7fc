using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Autotier.Domain.Lifecycle;

/// <summary>The SLA tiers a client profile names (<c>slaTier</c>).</summary>
public static class SlaTiers
{
    public const string Premium = "premium";
    public const string Standard = "standard";
    public const string Basic = "basic";

    public static IReadOnlyList<string> All { get; } = [Premium, Standard, Basic];

    public static bool IsTier(string? value) => value is Premium or Standard or Basic;
}

/// <summary>Response and resolution windows in business time, per SLA tier (TS <c>SLA_POLICIES</c>).</summary>
public static class SlaPolicies
{
    /// <summary>At this share of the resolution budget the assigned tier is warned.</summary>
    public const double WarningFraction = 0.75;

    /// <summary>premium 30 minutes, standard 1 hour, basic 4 hours.</summary>
    public static TimeSpan Response(string tier) => tier switch
    {
        SlaTiers.Premium => TimeSpan.FromMinutes(30),
        SlaTiers.Standard => TimeSpan.FromMinutes(60),
        SlaTiers.Basic => TimeSpan.FromMinutes(240),
        _ => throw UnknownTier(tier),
    };

    /// <summary>premium 2 hours, standard 4 hours, basic 16 hours.</summary>
    public static TimeSpan Resolution(string tier) => tier switch
    {
        SlaTiers.Premium => TimeSpan.FromMinutes(120),
        SlaTiers.Standard => TimeSpan.FromMinutes(240),
        SlaTiers.Basic => TimeSpan.FromMinutes(960),
        _ => throw UnknownTier(tier),
    };

    /// <summary>When the response window of a ticket received at <paramref name="receivedAt"/> ends.</summary>
    public static DateTimeOffset ResponseDue(string tier, DateTimeOffset receivedAt, BusinessHours hours) =>
        BusinessTime.Add(receivedAt, Response(tier), hours);

    private static ArgumentOutOfRangeException UnknownTier(string tier) =>
        new(nameof(tier), tier, "the SLA tier is premium, standard or basic");
}

/// <summary>
/// The resolution clock of one ticket: a budget of business time that runs while the ticket is with
/// us and stops while we wait on the requester (TS <c>SlaClock</c>).
/// </summary>
/// <param name="RunningSince">When the clock last started; null while paused.</param>
public sealed record SlaClock(TimeSpan Budget, TimeSpan Used, DateTimeOffset? RunningSince, bool Warned, bool Breached)
{
    /// <summary>A fresh, running clock: the tier's resolution budget, or <paramref name="budget"/> (the P1 window) when given.</summary>
    public static SlaClock Start(string tier, DateTimeOffset at, TimeSpan? budget = null) =>
        new(budget ?? SlaPolicies.Resolution(tier), TimeSpan.Zero, at, false, false);

    /// <summary>Stops the clock, banking the business time it ran; a paused clock stays as it is.</summary>
    public SlaClock Pause(DateTimeOffset at, BusinessHours hours) =>
        RunningSince is { } since
            ? this with { Used = Used + BusinessTime.Between(since, at, hours), RunningSince = null }
            : this;

    /// <summary>Starts a paused clock again; a running clock keeps its start.</summary>
    public SlaClock Resume(DateTimeOffset at) => RunningSince is null ? this with { RunningSince = at } : this;

    /// <summary>When the clock, if left running, reaches <paramref name="fraction"/> of its budget; null while paused.</summary>
    public DateTimeOffset? Reaches(double fraction, BusinessHours hours)
    {
        if (RunningSince is not { } since) return null;
        var left = Budget * fraction - Used;
        return BusinessTime.Add(since, left > TimeSpan.Zero ? left : TimeSpan.Zero, hours);
    }
}

/// <summary>
/// What a ticket's records show of its SLA (the ticket API's <c>sla</c>): the response window from
/// when the ticket was received (for a P1 or a security incident, the P1 minutes of every day) and
/// the resolution clock. JSON as the TypeScript <c>SlaView</c>: camelCase, instants as
/// <c>toISOString</c> writes them, <c>aroundTheClock</c> only when true.
/// </summary>
/// <param name="RespondedAt">
/// When a person first responded; null until then. The TypeScript app wrote the acknowledgement's
/// time here, so every escalation mail promised the resolution time while nobody had looked at the
/// ticket (issue #32 fix 2); <see cref="Promised"/> now promises the response time until a person answers.
/// </param>
/// <param name="ResolutionDue">When the resolution budget runs out if the clock keeps running; null while paused.</param>
/// <param name="AroundTheClock">True for a P1 or a security incident (its windows count every hour); null otherwise.</param>
public sealed record SlaView(
    string Tier,
    [property: JsonConverter(typeof(IsoInstantJsonConverter))] DateTimeOffset ResponseDue,
    [property: JsonConverter(typeof(IsoInstantJsonConverter))] DateTimeOffset? RespondedAt,
    [property: JsonConverter(typeof(IsoInstantJsonConverter))] DateTimeOffset? ResolutionDue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? AroundTheClock,
    bool Paused,
    bool Warned,
    bool Breached)
{
    /// <param name="aroundTheClock">The client's P1 settings when the ticket runs around the clock (see <see cref="AroundTheClockRule"/>); null otherwise.</param>
    /// <param name="personRespondedAt">When a person first responded (an engineer's plan with a public note, or their fix); null while nobody has.</param>
    public static SlaView Of(
        string tier,
        DateTimeOffset receivedAt,
        SlaClock clock,
        BusinessHours hours,
        P1Settings? aroundTheClock,
        DateTimeOffset? personRespondedAt)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var responseDue = aroundTheClock is { } p1
            ? receivedAt + TimeSpan.FromMinutes(p1.Sanitised().ResponseMinutes)
            : SlaPolicies.ResponseDue(tier, receivedAt, hours);
        return new SlaView(
            tier,
            IsoInstantJsonConverter.Truncate(responseDue),
            personRespondedAt is { } responded ? IsoInstantJsonConverter.Truncate(responded) : null,
            clock.Reaches(1, hours) is { } due ? IsoInstantJsonConverter.Truncate(due) : null,
            aroundTheClock is null ? null : true,
            clock.RunningSince is null,
            clock.Warned,
            clock.Breached);
    }

    /// <summary>
    /// The time a mail to the requester or an alert promises: the response due while no person has
    /// responded (P1: minutes after receipt), then the resolution due (null while the clock is paused).
    /// </summary>
    public DateTimeOffset? Promised() => RespondedAt is null ? ResponseDue : ResolutionDue;
}

/// <summary>
/// Instants as JavaScript's <c>toISOString</c> writes them (UTC, milliseconds, a Z), so SLA views
/// written by this app and by the TypeScript one read and compare alike. Reading takes any ISO 8601
/// instant.
/// </summary>
public sealed class IsoInstantJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>UTC, whole milliseconds: what survives a round trip through the wire form.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
