using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace Autotier.Domain.Lifecycle;

/// <summary>
/// When a client's office works, in its own time zone: SLA windows, tier limits and requester
/// reminders count only these hours. The wire form is the TypeScript profile's
/// <c>businessHours</c> (<c>{timeZone, days, start, end}</c>).
/// </summary>
/// <param name="TimeZone">An IANA zone id (Europe/London), read from NodaTime's tzdb, never the host's zones.</param>
/// <param name="Days">ISO weekdays: 1 = Monday ... 7 = Sunday.</param>
/// <param name="Start">"HH:MM", local time.</param>
/// <param name="End">"HH:MM", local time, or "24:00" for the end of the day.</param>
public sealed partial record BusinessHours(string TimeZone, IReadOnlyList<int> Days, string Start, string End)
{
    /// <summary>Every minute of every day: P1 tickets and security incidents (TS <c>AROUND_THE_CLOCK</c>).</summary>
    public static BusinessHours AroundTheClock { get; } = new("UTC", [1, 2, 3, 4, 5, 6, 7], "00:00", "24:00");

    /// <summary>
    /// What a client without hours of its own gets: the TypeScript app's defaults for a profile it
    /// creates (AUTOTIER_CLIENT_PROFILE) and for a client with no profile yet.
    /// </summary>
    public static BusinessHours Default { get; } = new("UTC", [1, 2, 3, 4, 5], "08:00", "18:00");

    /// <summary>
    /// Why these hours cannot be used, or null when they can: an unknown zone, a time that is not
    /// HH:MM, no working days, a weekday outside 1..7, or an end not after the start (a night shift
    /// across midnight is not supported: the windows are per local day).
    /// </summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(TimeZone))
            return "businessHours.timeZone is missing (an IANA zone id such as Europe/London)";
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) is null)
        {
            return KnownZoneId(TimeZone) is { } known
                ? $"businessHours.timeZone \"{TimeZone}\" is spelled \"{known}\""
                : $"businessHours.timeZone \"{TimeZone}\" is not a known time zone (an IANA id such as Europe/London)";
        }
        if (Days is null || Days.Count == 0)
            return "businessHours.days is empty: name at least one working day (1 = Monday ... 7 = Sunday)";
        foreach (var day in Days)
        {
            if (day is < 1 or > 7)
                return $"businessHours.days has {day}: days are 1 = Monday ... 7 = Sunday";
        }
        if (Start is null || !StrictTime().IsMatch(Start))
            return $"businessHours.start \"{Start}\" is not HH:MM (00:00 to 23:59)";
        if (End is null || (End != "24:00" && !StrictTime().IsMatch(End)))
            return $"businessHours.end \"{End}\" is not HH:MM (00:01 to 24:00)";
        if (MinutesOf(End) <= MinutesOf(Start))
            return $"businessHours.end {End} is not after businessHours.start {Start}";
        return null;
    }

    /// <summary>Equal when every field is, the days compared in order (a record alone would compare the list's reference).</summary>
    public bool Equals(BusinessHours? other) =>
        other is not null
        && TimeZone == other.TimeZone
        && Start == other.Start
        && End == other.End
        && (ReferenceEquals(Days, other.Days) || (Days is not null && other.Days is not null && Days.SequenceEqual(other.Days)));

    public override int GetHashCode() => HashCode.Combine(TimeZone, Start, End, Days?.Count);

    /// <summary>The zone from NodaTime's tzdb; a bad id is an error naming the profile field.</summary>
    internal DateTimeZone Zone =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone ?? "")
        ?? (KnownZoneId(TimeZone) is { } known ? DateTimeZoneProviders.Tzdb[known] : null)
        ?? throw new ArgumentException($"businessHours.timeZone \"{TimeZone}\" is not a known time zone", nameof(TimeZone));

    /// <summary>
    /// The tzdb id that <paramref name="id"/> names in another case ("europe/london"): the TypeScript
    /// app's Intl accepted any case, so stored profiles may have one. Validate asks for the spelling.
    /// </summary>
    private static string? KnownZoneId(string? id) =>
        id is null ? null : DateTimeZoneProviders.Tzdb.Ids.FirstOrDefault(known => string.Equals(known, id, StringComparison.OrdinalIgnoreCase));

    internal int StartMinutes => MinutesOf(Start);

    internal int EndMinutes => MinutesOf(End);

    /// <summary>
    /// Minutes since local midnight of "H:MM" or "HH:MM" ("24:00" is 1440). As lenient as the
    /// TypeScript reader, so profiles it accepted still load; <see cref="Validate"/> is the strict gate.
    /// </summary>
    private static int MinutesOf(string hhmm)
    {
        var match = hhmm is null ? null : LenientTime().Match(hhmm);
        if (match is null || !match.Success)
            throw new ArgumentException($"business hours time \"{hhmm}\" is not HH:MM", nameof(hhmm));
        var minutes = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 60
            + int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return minutes <= 24 * 60
            ? minutes
            : throw new ArgumentException($"business hours time \"{hhmm}\" is past 24:00", nameof(hhmm));
    }

    [GeneratedRegex(@"^([01][0-9]|2[0-3]):([0-5][0-9])$")]
    private static partial Regex StrictTime();

    [GeneratedRegex(@"^\s*([0-9]{1,2}):([0-5][0-9])\s*$")]
    private static partial Regex LenientTime();
}
