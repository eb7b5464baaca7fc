using System.Globalization;

namespace Autotier.Bench.Measures;

/// <summary>How often an idle app wakes for its own timers.</summary>
public static class Schedules
{
    /// <summary>
    /// Wake-ups an hour of a set of six-field NCrontab schedules (<c>sec min hour day month dow</c>):
    /// the distinct minutes of the hour they run at, or, when one runs every N minutes, 60 / N (the
    /// busiest decides). As bench/run.ts counts them.
    /// </summary>
    public static double WakeUpsPerHour(IEnumerable<string> schedules)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        var minutes = new HashSet<int>();
        double busiest = 0;
        foreach (var schedule in schedules)
        {
            var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 6) throw new FormatException($"not a six-field schedule: {schedule}");
            var minute = fields[1];
            if (int.TryParse(minute, NumberStyles.None, CultureInfo.InvariantCulture, out var m)) minutes.Add(m);
            else if (minute == "*") busiest = Math.Max(busiest, 60);
            else if (minute.StartsWith("*/", StringComparison.Ordinal) && int.TryParse(minute[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step > 0)
                busiest = Math.Max(busiest, 60.0 / step);
            else throw new FormatException($"minute field not understood: {schedule}");
        }
        return Math.Max(busiest, minutes.Count);
    }
}
