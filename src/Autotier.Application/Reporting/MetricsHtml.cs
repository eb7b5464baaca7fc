using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Autotier.Application.Metrics;
using Autotier.Domain.Clients;
using Autotier.Domain.Metrics;

namespace Autotier.Application.Reporting;

/// <summary>What the HTML report is drawn from: the figures <c>GET /api/metrics</c> answers, the client's profile, the range's major incidents.</summary>
public sealed record ReportInput(ClientMetrics Metrics, ClientProfile Client, IReadOnlyList<MajorIncident> Incidents, DateTimeOffset GeneratedAt);

/// <summary>
/// The report an MSP sends its client, as one self-contained HTML file (a port of TypeScript
/// <c>metricsHtml</c>, with issue #34 fix 4): no script; its one stylesheet allowed by hash in a
/// Content-Security-Policy meta tag, pictures only as <c>data:</c> logos from the profile; every
/// text from outside encoded; one h1; charts as inline SVG, each with a title, a description that
/// lists its values (its text equivalent) and the value written over each bar, so a week measured
/// in seconds shows "20 s" rather than an empty chart, and a week with no answer says so.
/// </summary>
public static class MetricsHtml
{
    private const double Minute = 60_000;

    /// <summary>Kinds of request as a client reads them (TypeScript <c>CATEGORY_NAMES</c>).</summary>
    private static readonly Dictionary<string, string> CategoryNames = new(StringComparer.Ordinal)
    {
        ["password_reset"] = "Passwords and sign-in",
        ["software_access"] = "Access and licences",
        ["vpn_remote_access"] = "VPN and remote access",
        ["printer_peripheral"] = "Printers and devices",
        ["software_error"] = "Software errors",
        ["engineering"] = "Engineering work",
        ["unclassified"] = "Not classified",
    };

    // Series colours: each at least 3:1 against white (non-text contrast) and told apart by their
    // legend's words too; the grey of "no answer" is dark enough for that.
    private const string Green = "#1b7f4b";
    private const string Blue = "#1b5e9e";
    private const string Grey = "#6b7785";
    private const string Amber = "#b7791f";
    private const string Rust = "#b4461f";

    /// <summary>What the charts need from a page's stylesheet (their legends' swatches): the report's and the ops list's.</summary>
    public const string ChartStyle =
        ".legend{margin:.2rem 0;font-size:.9rem}.legend span{display:inline-block;margin-right:1.2rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.35rem;vertical-align:-1px;border-radius:2px}"
        + ".s1{background:#1b7f4b}.s2{background:#1b5e9e}.s3{background:#6b7785}.s4{background:#b7791f}";

    public const string Style =
        "body{font-family:system-ui,-apple-system,\"Segoe UI\",sans-serif;color:#1d1d1f;max-width:60rem;margin:2rem auto;padding:0 1.5rem;line-height:1.5}"
        + ".skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.4rem;outline:3px solid #f0a500}"
        + ".brand{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:1rem;border-bottom:1px solid #d0d7de;padding-bottom:.8rem}"
        + ".brand div{display:flex;align-items:center;gap:.6rem}.brand img{max-height:3rem;max-width:10rem}.brand b{display:block}.brand span{color:#444;font-size:.9rem}"
        + "h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:2px solid #1b5e9e;padding-bottom:.3rem}"
        + ".period{color:#555;margin-top:0}"
        + ".tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.8rem;margin:1.5rem 0}"
        + ".tile{border:1px solid #d0d7de;border-radius:.5rem;padding:.8rem 1rem;background:#f8fafc}"
        + ".tile b{display:block;font-size:1.6rem;color:#1b5e9e}.tile span{font-size:.9rem;color:#444}"
        + "figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.3rem}"
        + ChartStyle
        + ".scroll{overflow-x:auto}"
        + "table{border-collapse:collapse;width:100%;font-size:.92rem;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.3rem 0}"
        + "th,td{border-bottom:1px solid #e1e4e8;padding:.35rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}"
        + ".list td,.list thead th{text-align:left}.list .n{text-align:right}"
        + "thead th{background:#f1f4f8}tbody th{font-weight:600}dt{font-weight:600;margin-top:.6rem}dd{margin-left:0;color:#333}"
        + ".open{color:#a3261a;font-weight:600}"
        + "@media (max-width:40rem){body{margin:1rem auto;padding:0 .8rem}.tiles{grid-template-columns:1fr}}"
        + "@media print{body{margin:0;max-width:none}.skip{display:none}h2{break-after:avoid}figure,table{break-inside:avoid}}";

    /// <summary>The stylesheet's hash, as the page's Content-Security-Policy allows it.</summary>
    public static string StyleHash { get; } = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)));

    /// <summary>
    /// The policy in the page's meta tag: nothing but its own stylesheet and inline logos. (A meta
    /// tag cannot carry <c>frame-ancestors</c>; a file opened from disk or mail has no headers.)
    /// </summary>
    public static string ContentSecurityPolicy { get; } = $"default-src 'none'; style-src 'sha256-{StyleHash}'; img-src data:; base-uri 'none'; form-action 'none'";

    private sealed record Series(string Name, string Colour, IReadOnlyList<double?> Values);

    public static string Write(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var m = input.Metrics;
        var client = input.Client;
        var weeks = m.Weekly;
        var last = m.To.AddMilliseconds(-1);
        var tiles = string.Concat(Summary(m, input.Incidents.Count).Select(t => Tile(t.Value, t.Label)));
        var charts = string.Concat(Charts.Select(id => Chart(id, weeks)));

        var categoryRows = string.Concat(m.ByCategory
            .OrderByDescending(c => c.Value.Tickets)
            .Select(c =>
                $"<tr><th scope=\"row\">{E(CategoryNames.GetValueOrDefault(c.Key) ?? c.Key)}</th><td>{c.Value.Tickets}</td><td>{c.Value.Deflected}</td>"
                + $"<td>{ReportText.Percent(c.Value.Tickets == 0 ? 0 : (double)c.Value.Deflected / c.Value.Tickets)}</td><td>{c.Value.Unconfirmed}</td><td>{c.Value.Escalated}</td></tr>"));
        var weekRows = string.Concat(weeks.Select(w =>
            $"<tr><th scope=\"row\">{E(ReportText.WeekLabel(w.Week))}</th><td>{w.Tickets}</td><td>{w.Verified}</td><td>{ReportText.Percent(w.VerifiedDeflection)}</td>"
            + $"<td>{w.Unconfirmed}</td><td>{w.Escalated}</td><td>{E(ReportText.Duration(w.FirstResponseP50Ms))}</td><td>{w.EngineerInterruptions}</td>"
            + $"<td>{(w.CsatAverage is { } a ? ReportText.Number(a) : "–")}</td></tr>"));
        static string TimeRow(string label, Percentiles p, Percentiles b) =>
            $"<tr><th scope=\"row\">{label}</th><td>{E(ReportText.Duration(p.P50))}</td><td>{E(ReportText.Duration(p.P95))}</td><td>{E(ReportText.Duration(b.P50))}</td></tr>";

        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"Content-Security-Policy\" content=\"{E(ContentSecurityPolicy)}\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\">")
            .Append(CultureInfo.InvariantCulture, $"<title>{E($"Support outcomes: {client.Name}")}</title><style>{Style}</style></head>\n")
            .Append("<body><a class=\"skip\" href=\"#figures\">Skip to the figures</a>\n")
            .Append(Header(client))
            .Append("<main id=\"figures\">\n")
            .Append(CultureInfo.InvariantCulture, $"<h1>Support outcomes: {E(client.Name)}</h1>\n")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"period\">{E($"{ReportText.DayLabel(m.From)} to {ReportText.DayLabel(last)}")} · tickets counted by the day they arrived</p>\n")
            .Append(Prepared(client))
            .Append(CultureInfo.InvariantCulture, $"<section class=\"tiles\" aria-label=\"Summary\">{tiles}</section>\n")
            .Append("<h2>Major incidents</h2>\n").Append(IncidentList(input.Incidents))
            .Append("<h2>Trends</h2>\n").Append(charts)
            .Append("<h2>How fast</h2>\n<div class=\"scroll\"><table><caption>Response and resolution times</caption><thead><tr><th scope=\"col\">Step</th><th scope=\"col\">Typical (median)</th><th scope=\"col\">Slowest 5% from</th><th scope=\"col\">In working hours (median)</th></tr></thead><tbody>\n")
            .Append(TimeRow("Acknowledgement", m.AcknowledgementMs, m.AcknowledgementBusinessMs)).Append('\n')
            .Append(TimeRow("First response", m.FirstResponseMs, m.FirstResponseBusinessMs)).Append('\n')
            .Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">First response by an engineer</th><td>{E(ReportText.Duration(m.PersonFirstResponseMs.P50))}</td><td>{E(ReportText.Duration(m.PersonFirstResponseMs.P95))}</td><td>–</td></tr>\n")
            .Append(TimeRow("Resolution", m.ResolutionMs, m.ResolutionBusinessMs)).Append('\n')
            .Append(TimeRow("Escalated ticket handled", m.EscalationHandleMs, m.EscalationHandleBusinessMs)).Append('\n')
            .Append("</tbody></table></div>\n")
            .Append("<h2>By kind of request</h2>\n<div class=\"scroll\"><table><caption>Tickets by kind of request</caption><thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Tickets</th><th scope=\"col\">Deflected</th><th scope=\"col\">Share</th><th scope=\"col\">Closed after no answer</th><th scope=\"col\">Escalated</th></tr></thead><tbody>")
            .Append(categoryRows).Append("</tbody></table></div>\n")
            .Append("<h2>Week by week</h2>\n<div class=\"scroll\"><table><caption>The figures of each week</caption><thead><tr><th scope=\"col\">Week of</th><th scope=\"col\">Tickets</th><th scope=\"col\">Deflected</th><th scope=\"col\">Share</th><th scope=\"col\">No answer</th><th scope=\"col\">Escalated</th><th scope=\"col\">First response</th><th scope=\"col\">Interruptions</th><th scope=\"col\">Satisfaction</th></tr></thead><tbody>")
            .Append(weekRows).Append("</tbody></table></div>\n")
            .Append("<h2>What the figures mean</h2>\n<dl>\n")
            .Append(CultureInfo.InvariantCulture, $"<dt>Deflected (verified)</dt><dd>Tickets automation resolved, that the requester confirmed were fixed, and that were not reopened within the reopen window, out of all tickets received. {m.Deflection.Confirmed} were confirmed, {m.Deflection.Reopened} of them came back, {m.Deflection.AwaitingReopenWindow} are still inside the window.</dd>\n")
            .Append(CultureInfo.InvariantCulture, $"<dt>Closed after no answer</dt><dd>{m.Deflection.Unconfirmed} ticket{(m.Deflection.Unconfirmed == 1 ? " was" : "s were")} closed because the requester did not reply after the steps and a reminder. They are shown apart and never counted as deflected.</dd>\n")
            .Append("<dt>First response</dt><dd>From the ticket arriving to the first message that answered it: the steps to fix it, or an engineer's first reply or fix. The automatic \"we've got your request\" acknowledgement does not count, nor does \"an engineer is on it\". Automation's steps usually go out within a minute, so the time to an engineer's first answer is shown apart, for the tickets a person answered first.</dd>\n")
            .Append(CultureInfo.InvariantCulture, $"<dt>Engineer interruptions</dt><dd>Escalations, tier alerts and pages that reached an engineer ({m.EngineerInterruptions} in all); a repeated page about the same ticket within 30 minutes counts once. Per working day of your business hours.</dd>\n")
            .Append(CultureInfo.InvariantCulture, $"<dt>SLA deadlines missed</dt><dd>{m.SlaBreaches.Response} first response{Plural(m.SlaBreaches.Response)} after the response deadline (or none yet, past it) and {m.SlaBreaches.Resolution} ticket{Plural(m.SlaBreaches.Resolution)} past the resolution deadline.</dd>\n")
            .Append("<dt>Major incidents</dt><dd>Outages and security incidents that several tickets reported together: one engineer's plan and fix went to every requester of the incident.</dd>\n")
            .Append(CultureInfo.InvariantCulture, $"<dt>Satisfaction</dt><dd>The one-click rating (1 to 5) in the closing email; {m.Csat.Responses} requester{Plural(m.Csat.Responses)} rated.</dd>\n")
            .Append(CultureInfo.InvariantCulture, $"<dt>Self-service</dt><dd>{m.SelfServiceDeflections} requester{Plural(m.SelfServiceDeflections)} found the answer on the portal before filing a ticket (counted apart from tickets).</dd>\n")
            .Append("</dl>\n")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"period\">Generated {E(ReportText.DayLabel(input.GeneratedAt))} by autotier.</p>\n")
            .Append("</main></body></html>\n");
        return html.ToString();
    }

    /// <summary>
    /// The summary figures, value and what it means in words, as the report's tiles show them; the
    /// ops list shows the same ones, so the page, the report and the API never say different things.
    /// </summary>
    public static IReadOnlyList<(string Value, string Label)> Summary(ClientMetrics m, int majorIncidents)
    {
        ArgumentNullException.ThrowIfNull(m);
        return
        [
            (m.Tickets.ToString(CultureInfo.InvariantCulture), "tickets received"),
            (ReportText.Percent(m.Deflection.Verified), $"resolved by automation and confirmed by the requester ({m.Deflection.VerifiedCount} of {m.Tickets})"),
            (ReportText.Duration(m.FirstResponseMs.P50), "typical time to a first real answer (median)"),
            (ReportText.Duration(m.PersonFirstResponseMs.P50), "typical time to a first answer by an engineer, when a person answered first (median)"),
            (ReportText.Duration(m.ResolutionMs.P50), "typical time to resolution (median)"),
            (m.Csat.Average is { } avg ? $"{ReportText.Number(avg)} / 5" : "–", $"satisfaction from {m.Csat.Responses} rating{Plural(m.Csat.Responses)}"),
            (m.EngineerInterruptionsPerDay is { } perDay ? ReportText.Number(perDay) : "–", "engineer interruptions per working day"),
            ((m.SlaBreaches.Response + m.SlaBreaches.Resolution).ToString(CultureInfo.InvariantCulture), "SLA deadlines missed"),
            (majorIncidents.ToString(CultureInfo.InvariantCulture), $"major incident{Plural(majorIncidents)}"),
            (ReportText.Percent(m.ReopenRate), "tickets reopened"),
        ];
    }

    /// <summary>The weekly charts, by id, in the order the report shows them.</summary>
    public static IReadOnlyList<string> Charts { get; } = ["tickets", "deflection", "first-response", "interruptions"];

    /// <summary>One weekly chart (an id of <see cref="Charts"/>) as inline SVG with its caption, legend and text equivalent.</summary>
    public static string Chart(string id, IReadOnlyList<WeekFigures> weeks)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        IReadOnlyList<double?> Ending(string e) => [.. weeks.Select(w => (double?)w.Endings.GetValueOrDefault(e))];
        return id switch
        {
            "tickets" => BarChart("tickets", "Tickets by week and how they ended",
                "Stacked bars per week, each ticket once: resolved by automation and confirmed, handled by an engineer, closed after no answer, and open or still inside the reopen window.",
                weeks,
                [
                    new("Resolved by automation, confirmed", Green, Ending(Endings.Deflected)),
                    new("Handled by an engineer", Blue, Ending(Endings.Engineer)),
                    new("Closed after no answer", Grey, Ending(Endings.NoAnswer)),
                    new("Open, or confirmed and inside the reopen window", Amber,
                        [.. weeks.Select(w => (double?)(w.Endings.GetValueOrDefault(Endings.Open) + w.Endings.GetValueOrDefault(Endings.AwaitingWindow)))]),
                ],
                v => ReportText.Number(v)),
            "deflection" => BarChart("deflection", "Verified deflection by week",
                "Per week, the share of tickets resolved by automation, confirmed by the requester and not reopened.",
                weeks,
                [new("Verified deflection", Green, [.. weeks.Select(w => w.Tickets == 0 ? null : (double?)(ReportText.JsRound(w.VerifiedDeflection * 1000) / 10))])],
                v => $"{ReportText.Number(v)}%", empty: "no tickets"),
            "first-response" => FirstResponseChart(weeks),
            "interruptions" => BarChart("interruptions", "Engineer interruptions by week",
                "Per week, the escalations, tier alerts and pages that reached an engineer.",
                weeks,
                [new("Interruptions", Rust, [.. weeks.Select(w => (double?)w.EngineerInterruptions)])],
                v => ReportText.Number(v)),
            _ => throw new ArgumentOutOfRangeException(nameof(id), id, "not a chart of the report"),
        };
    }

    /// <summary>The MSP's and the client's names and logos, when the profile has them.</summary>
    private static string Header(ClientProfile client)
    {
        var b = client.Branding;
        if (b is null || (b.MspName is null && b.MspLogo is null && b.ClientLogo is null)) return "";
        static string Side(string cls, string? logo, string? name, string alt, string? contact) =>
            $"<div class=\"{cls}\">{(Logo(logo) is { } src ? $"<img src=\"{src}\" alt=\"{E(alt)}\">" : "")}"
            + $"<p>{(name is null ? "" : $"<b>{E(name)}</b>")}{(contact is null ? "" : $"<span>{E(contact)}</span>")}</p></div>";
        return "<header class=\"brand\">"
            + Side("msp", b.MspLogo, b.MspName, $"{b.MspName ?? "Your IT provider"} logo", b.MspContact)
            + Side("client", b.ClientLogo, client.Name, $"{client.Name} logo", b.ClientContact)
            + "</header>\n";
    }

    /// <summary>A logo only as a checked data: URI (the profile's rules): anything else is left out, never fetched.</summary>
    private static string? Logo(string? logo) =>
        logo is not null && ClientProfileRules.Logo("logo", logo) is null ? E(logo) : null;

    private static string Prepared(ClientProfile client)
    {
        var b = client.Branding;
        if (b?.MspName is null && b?.MspContact is null) return "";
        var who = b.MspName is { } msp ? $"Prepared by {E(msp)} for {E(client.Name)}." : $"Prepared for {E(client.Name)}.";
        var ask = b.MspContact is { } contact ? $" Questions about this report: {E(contact)}." : "";
        return $"<p class=\"period\">{who}{ask}</p>\n";
    }

    private static string IncidentList(IReadOnlyList<MajorIncident> incidents)
    {
        if (incidents.Count == 0) return "<p>No major incidents in this period.</p>\n";
        var rows = string.Concat(incidents.Select(i =>
            $"<tr><th scope=\"row\">{E(ReportText.TimeLabel(i.OpenedAt))}</th><td>{E(KindName(i.Kind))}</td><td class=\"n\">{i.Tickets}</td><td>{E(i.LeadTicketId)}</td>"
            + $"<td>{(i.Closed ? "Closed" : "<span class=\"open\">Still open</span>")}</td></tr>"));
        return "<div class=\"scroll\"><table class=\"list\"><caption>Outages and security incidents reported by several people</caption><thead><tr>"
            + "<th scope=\"col\">Opened</th><th scope=\"col\">What</th><th scope=\"col\" class=\"n\">Tickets</th><th scope=\"col\">Lead ticket</th><th scope=\"col\">State</th></tr></thead><tbody>"
            + rows + "</tbody></table></div>\n";
    }

    private static string KindName(string kind) => kind switch
    {
        "outage" => "Outage",
        _ when kind.StartsWith("security:", StringComparison.Ordinal) => $"Security incident ({kind["security:".Length..].Replace('_', ' ')})",
        _ => kind,
    };

    /// <summary>
    /// The median first response per week, in minutes, or in seconds when every week's is under a
    /// minute (automation answering at once reads "20 s", not an empty chart of zeros).
    /// </summary>
    private static string FirstResponseChart(IReadOnlyList<WeekFigures> weeks)
    {
        var measured = weeks.Select(w => w.FirstResponseP50Ms).OfType<long>().ToList();
        var seconds = measured.Count > 0 && measured.Max() < Minute;
        var unit = seconds ? 1000.0 : Minute;
        return BarChart("first-response",
            $"Time to first response by week (median, {(seconds ? "seconds" : "minutes")})",
            "Per week, the median time from a ticket arriving to the first message that answered it (not the acknowledgement).",
            weeks,
            [new("First response", Blue, [.. weeks.Select(w => w.FirstResponseP50Ms is { } ms ? ReportText.JsRound(ms / unit * 10) / 10 : (double?)null)])],
            v => seconds ? $"{ReportText.Number(v)} s" : $"{ReportText.Number(v)} min",
            empty: "no answer yet");
    }

    /// <summary>
    /// A bar chart over the weeks, stacked when there are several series. Its text equivalent is
    /// its description, which lists every week's values; a single series also writes each value
    /// over its bar, and "–" where nothing was measured (a missing value is not a zero).
    /// </summary>
    private static string BarChart(string id, string title, string desc, IReadOnlyList<WeekFigures> weeks, IReadOnlyList<Series> series, Func<double, string> format, string empty = "none")
    {
        const double width = 720, height = 260, left = 48, bottom = 36, top = 20;
        const double plotH = height - top - bottom, plotW = width - left - 12;
        var totals = weeks.Select((_, i) => series.Sum(s => s.Values[i] ?? 0)).ToList();
        var max = Math.Max(1, totals.Count == 0 ? 0 : totals.Max());
        var step = NiceStep(max);
        var yMax = Math.Ceiling(max / step) * step;
        var slot = plotW / Math.Max(1, weeks.Count);
        var barW = Math.Min(48, slot * 0.7);
        double Y(double v) => top + plotH - v / yMax * plotH;
        var svg = new StringBuilder();
        for (var v = 0.0; v <= yMax + 1e-9; v += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - 12}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" stroke=\"#ddd\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">{E(Tick(v, format))}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - 12}\" y1=\"{F(Y(0))}\" y2=\"{F(Y(0))}\" stroke=\"#888\"/>");
        var said = new List<string>();
        for (var i = 0; i < weeks.Count; i++)
        {
            var label = ReportText.WeekLabel(weeks[i].Week);
            var x = left + i * slot + (slot - barW) / 2;
            var b = 0.0;
            foreach (var s in series)
            {
                var v = s.Values[i] ?? 0;
                if (v > 0)
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(Y(b + v))}\" width=\"{F(barW)}\" height=\"{F(Y(b) - Y(b + v))}\" fill=\"{s.Colour}\"><title>{E($"{label}: {s.Name} {format(v)}")}</title></rect>");
                b += v;
            }
            if (series.Count == 1)
            {
                var value = series[0].Values[i];
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + barW / 2)}\" y=\"{F(Y(value ?? 0) - 4)}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1d1d1f\">{E(value is { } shown ? format(shown) : "–")}</text>");
                said.Add($"{label}: {(value is { } v ? format(v) : empty)}");
            }
            else
            {
                said.Add($"{label}: {string.Join(", ", series.Select(s => $"{s.Name} {format(s.Values[i] ?? 0)}"))}");
            }
            if (weeks.Count <= 16 || i % (int)Math.Ceiling(weeks.Count / 16.0) == 0)
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + barW / 2)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">{E(label)}</text>");
        }
        var legend = series.Count > 1
            ? "<p class=\"legend\">" + string.Concat(series.Select((s, i) => $"<span><i class=\"s{i + 1}\"></i>{E(s.Name)}</span>")) + "</p>"
            : "";
        var text = $"{desc} {(said.Count == 0 ? "No weeks in the range." : string.Join("; ", said) + ".")}";
        return $"<figure><figcaption id=\"{id}-title\">{E(title)}</figcaption>{legend}"
            + $"<svg viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-t\" aria-describedby=\"{id}-d\" xmlns=\"http://www.w3.org/2000/svg\">"
            + $"<title id=\"{id}-t\">{E(title)}</title><desc id=\"{id}-d\">{E(text)}</desc>{svg}</svg></figure>\n";
    }

    private static double NiceStep(double max)
    {
        var rough = max / 4;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var f = rough / magnitude;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }

    private static string Tick(double v, Func<double, string> format) => format(ReportText.JsRound(v * 10) / 10);

    private static string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Tile(string value, string label) => $"<div class=\"tile\"><b>{E(value)}</b><span>{E(label)}</span></div>";

    private static string Plural(int n) => n == 1 ? "" : "s";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
