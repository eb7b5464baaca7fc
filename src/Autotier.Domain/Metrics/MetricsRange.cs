using System.Globalization;
using System.Text.RegularExpressions;
using Autotier.Domain.Intake;

namespace Autotier.Domain.Metrics;

/// <summary>
/// The range of a metrics query: <paramref name="From"/> inclusive, <paramref name="To"/> exclusive
/// (a port of src/domain/metricsRange.ts). ISO 8601 on the way in; errors name the field.
/// </summary>
public sealed partial record MetricsRange(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The default range of a metrics query: the last 30 days.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(30);

    /// <summary>Longer ranges are refused: a quarterly or yearly review fits, a scan of everything does not.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(731);

    private const string Example = "an ISO 8601 date or time, e.g. 2026-03-01 or 2026-03-01T09:00:00Z";

    /// <summary>
    /// A metrics range from <paramref name="fromText"/> (inclusive) and <paramref name="toText"/>
    /// (exclusive); either may be left out (null or empty): to defaults to now and from to 30 days
    /// before to. Errors name the field.
    /// </summary>
    public static ParseResult<MetricsRange> Parse(string? fromText, string? toText, DateTimeOffset now)
    {
        // Instants are kept to the millisecond (as JavaScript's Date): a clock's ticks below that would
        // put the default from a fraction after a ticket received exactly 30 days ago, and leave it out.
        var to = now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMillisecond));
        if (!string.IsNullOrEmpty(toText))
        {
            if (Instant(toText) is not { } t) return ParseResult<MetricsRange>.Failure($"to: must be {Example}");
            to = t;
        }
        var from = to - DefaultLength;
        if (!string.IsNullOrEmpty(fromText))
        {
            if (Instant(fromText) is not { } f) return ParseResult<MetricsRange>.Failure($"from: must be {Example}");
            from = f;
        }
        if (from >= to) return ParseResult<MetricsRange>.Failure("to: must be after from");
        if (to - from > MaxLength) return ParseResult<MetricsRange>.Failure("to: the range may span at most 731 days");
        return ParseResult<MetricsRange>.Success(new MetricsRange(from, to));
    }

    /// <summary>
    /// The instant of a date (UTC midnight) or of a date and time with seconds optional and a zone (Z or
    /// an offset), read as JavaScript's Date.parse reads the same text: a date must exist (2026-02-31 is
    /// refused, not rolled over to March 3), a fraction is cut to milliseconds, 24:00 is the next
    /// midnight, and an offset may be up to 23:59 (more than DateTimeOffset holds, so the instant is
    /// worked out in UTC). Null when the text is none of these.
    /// </summary>
    private static DateTimeOffset? Instant(string text)
    {
        var m = Iso8601().Match(text);
        if (!m.Success) return null;
        if (!DateTime.TryParseExact(m.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
            return null;
        if (!m.Groups["hour"].Success) return new DateTimeOffset(DateTime.SpecifyKind(day, DateTimeKind.Utc));

        var hour = Number(m.Groups["hour"]);
        var minute = Number(m.Groups["minute"]);
        var second = m.Groups["second"].Success ? Number(m.Groups["second"]) : 0;
        var fraction = m.Groups["fraction"].Value;
        var millisecond = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(3, '0')[..3], CultureInfo.InvariantCulture);
        var endOfDay = hour == 24 && minute == 0 && second == 0 && fraction.All(c => c == '0');
        if ((hour > 23 && !endOfDay) || minute > 59 || second > 59) return null;

        var offset = TimeSpan.Zero;
        if (m.Groups["offsetHours"].Success)
        {
            var offsetHours = Number(m.Groups["offsetHours"]);
            var offsetMinutes = Number(m.Groups["offsetMinutes"]);
            if (offsetHours > 23 || offsetMinutes > 59) return null;
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (m.Groups["sign"].Value == "-") offset = -offset;
        }
        var local = TimeSpan.FromHours(hour) + TimeSpan.FromMinutes(minute) + TimeSpan.FromSeconds(second) + TimeSpan.FromMilliseconds(millisecond);
        var utcTicks = day.Ticks + local.Ticks - offset.Ticks;
        return utcTicks >= DateTime.MinValue.Ticks && utcTicks <= DateTime.MaxValue.Ticks
            ? new DateTimeOffset(utcTicks, TimeSpan.Zero)
            : null;
    }

    private static int Number(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);

    /// <summary>ISO 8601: a date, or a date and time with seconds optional and a zone (Z or an offset). ASCII digits only, as JavaScript's \d.</summary>
    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:T(?<hour>[0-9]{2}):(?<minute>[0-9]{2})(?::(?<second>[0-9]{2})(?:\.(?<fraction>[0-9]{1,9}))?)?(?:Z|(?<sign>[+-])(?<offsetHours>[0-9]{2}):(?<offsetMinutes>[0-9]{2})))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}
