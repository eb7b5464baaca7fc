using System.Globalization;

namespace Autotier.Application.Reporting;

/// <summary>How the report writes numbers, times and dates (TypeScript src/domain/report.ts).</summary>
public static class ReportText
{
    private const long Minute = 60_000;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    /// <summary>A duration people read: "45 s", "12 min", "3 h 20 min", "2 days 4 h"; "–" when nothing was measured.</summary>
    public static string Duration(long? ms)
    {
        if (ms is not { } v) return "–";
        if (v < Minute) return $"{Whole(v / 1000.0)} s";
        if (v < Hour) return $"{Whole(v / (double)Minute)} min";
        if (v < Day)
        {
            var h = v / Hour;
            var m = (long)JsRound((v - h * Hour) / (double)Minute);
            return m != 0 ? $"{h} h {m} min" : $"{h} h";
        }
        var d = v / Day;
        var hours = (long)JsRound((v - d * Day) / (double)Hour);
        return $"{d} day{(d == 1 ? "" : "s")}{(hours != 0 ? $" {hours} h" : "")}";
    }

    /// <summary>A fraction as a percentage to one decimal: 0.6667 is "66.7%", 0.5 is "50%".</summary>
    public static string Percent(double fraction) => $"{Number(JsRound(fraction * 1000) / 10)}%";

    /// <summary>Shortest round-trip text, as JavaScript's String(n) writes it.</summary>
    public static string Number(double n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>"5 Jan": the Monday a week starts (YYYY-MM-DD).</summary>
    public static string WeekLabel(string week) =>
        DateTime.ParseExact(week, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("d MMM", CultureInfo.InvariantCulture);

    /// <summary>"2 March 2026", in UTC.</summary>
    public static string DayLabel(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"2 March 2026, 10:04 UTC".</summary>
    public static string TimeLabel(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Math.round as JavaScript does it: halves go up (toward +∞).</summary>
    public static double JsRound(double x)
    {
        var floor = Math.Floor(x);
        return x - floor >= 0.5 ? floor + 1 : floor;
    }

    private static string Whole(double x) => ((long)JsRound(x)).ToString(CultureInfo.InvariantCulture);
}
