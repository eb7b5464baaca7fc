using System.Globalization;
using System.Text.RegularExpressions;
using Autotier.Domain.Tickets;

namespace Autotier.Application.Ops;

/// <summary>
/// The ops list's filters, from its query string (a plain GET form, so a filtered list can be
/// bookmarked). As the TypeScript app: a bad value or an unknown name is named back, a blank form
/// field means no filter, and <c>code</c> (a key in the query) is not a filter.
/// </summary>
/// <param name="Attention">Only tickets whose SLA is breached or at risk (issue #34 fix 1).</param>
/// <param name="Overdue">Only live workflows whose next deadline has passed (a stuck workflow: not an SLA).</param>
public sealed partial record OpsFilters(Stage? Stage, string? Client, bool Attention, bool Overdue, bool Failed, string? Before, int Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>The outcomes period the list offers by default: the metrics' own default range (30 days). Declared before <see cref="None"/>, which reads it.</summary>
    public static readonly int DefaultDays = (int)Domain.Metrics.MetricsRange.DefaultLength.TotalDays;

    public static OpsFilters None { get; } = new(null, null, false, false, false, null, DefaultLimit);

    /// <summary>At most a year back: the page's outcomes are a glance, the report is for a longer review.</summary>
    public const int MaxDays = 366;

    /// <summary>The period of the outcomes under the list, in days up to now (<c>days</c>): not a filter of the rows.</summary>
    public int Days { get; init; } = DefaultDays;

    private static readonly string[] Known = ["stage", "client", "sla", "overdue", "failed", "before", "limit", "days", "code"];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ClientPattern { get; }

    /// <summary>The filters, or the error naming what is wrong (a 400).</summary>
    public static (OpsFilters? Filters, string? Error) Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in query)
        {
            if (!Known.Contains(key, StringComparer.Ordinal)) return (null, $"unknown filter: {key}");
            if (values.Count != 1) return (null, $"{key}: give it once");
            raw[key] = values[0];
        }
        string? Get(string key) => raw.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

        Stage? stage = null;
        if (Get("stage") is { } s)
        {
            var match = Enum.GetValues<Stage>().Where(v => StageName(v) == s).ToList();
            if (match.Count == 0) return (null, $"stage: must be one of {string.Join(", ", Enum.GetValues<Stage>().Select(StageName))}");
            stage = match[0];
        }
        var client = Get("client");
        if (client is not null && !ClientPattern.IsMatch(client))
            return (null, "client: must be a client id (lowercase letters, digits and hyphens)");
        var before = Get("before");
        if (before is not null && !TicketIds.IsTicketId(before)) return (null, "before: must be a ticket id like T-1042");
        var limit = DefaultLimit;
        if (Get("limit") is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
            return (null, $"limit: must be a whole number from 1 to {MaxLimit}");
        var days = DefaultDays;
        if (Get("days") is { } d && (!int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days < 1 || days > MaxDays))
            return (null, $"days: must be a whole number from 1 to {MaxDays}");
        var flags = new Dictionary<string, bool>();
        foreach (var name in (string[])["sla", "overdue", "failed"])
        {
            var v = raw.GetValueOrDefault(name, "");
            if (v is not ("" or "on" or "1" or "true" or "0" or "false")) return (null, $"{name}: must be on, 1, true, 0 or false");
            flags[name] = v is "on" or "1" or "true";
        }
        return (new OpsFilters(stage, client, flags["sla"], flags["overdue"], flags["failed"], before, limit) { Days = days }, null);
    }

    public static string StageName(Stage stage) => System.Text.Json.JsonSerializer.Serialize(stage).Trim('"');
}
