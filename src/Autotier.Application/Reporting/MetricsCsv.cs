using System.Globalization;
using Autotier.Domain.Metrics;
using CsvHelper;

namespace Autotier.Application.Reporting;

/// <summary>
/// The metrics as CSV (TypeScript <c>metricsCsv</c>, same columns and rows): one row per week and
/// category, every category of the range in every week with zeros, so a spreadsheet pivots cleanly,
/// and a row per week for <c>all</c> with the figures kept per week only. CRLF line ends, as RFC 4180.
/// </summary>
public static class MetricsCsv
{
    private static readonly string[] Columns =
    [
        "week", "category", "tickets", "verified_deflections", "verified_deflection_rate", "confirmed", "unconfirmed",
        "escalated", "reopened", "first_response_p50_minutes", "resolution_p50_minutes", "engineer_interruptions",
        "csat_responses", "csat_average",
    ];

    private static readonly CategoryFigures None = new(0, 0, 0, 0, 0);

    public static string Write(ClientMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var categories = metrics.ByCategory.Keys.Order(StringComparer.Ordinal).ToList();
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // RFC 4180 is CsvHelper's default: CRLF, quotes only where a field needs them.
        using (var csv = CsvWriter.Create(text, null, leaveOpen: true))
        {
            csv.WriteHeader(Columns);
            foreach (var w in metrics.Weekly)
            {
                csv.WriteRecord(
                [
                    w.Week, "all", Number(w.Tickets), Number(w.Verified), Number(w.VerifiedDeflection), Number(w.Confirmed),
                    Number(w.Unconfirmed), Number(w.Escalated), Number(w.Reopened), Minutes(w.FirstResponseP50Ms),
                    Minutes(w.ResolutionP50Ms), Number(w.EngineerInterruptions), Number(w.CsatResponses),
                    w.CsatAverage is { } avg ? Number(avg) : "",
                ]);
                foreach (var category in categories)
                {
                    var c = w.ByCategory.GetValueOrDefault(category) ?? None;
                    csv.WriteRecord(
                    [
                        w.Week, category, Number(c.Tickets), Number(c.Deflected), Number(Rate(c.Deflected, c.Tickets)),
                        Number(c.Confirmed), Number(c.Unconfirmed), Number(c.Escalated), "", "", "", "", "", "",
                    ]);
                }
            }
        }
        return text.ToString();
    }

    /// <summary>Deflected over tickets to four places, as the weekly rate is.</summary>
    private static double Rate(int part, int whole) => whole == 0 ? 0 : ReportText.JsRound((double)part / whole * 10_000) / 10_000;

    /// <summary>Minutes to one decimal; empty when nothing was measured.</summary>
    private static string Minutes(long? ms) => ms is { } v ? Number(ReportText.JsRound(v / 60_000.0 * 10) / 10) : "";

    private static string Number(double n) => n.ToString(CultureInfo.InvariantCulture);
}
