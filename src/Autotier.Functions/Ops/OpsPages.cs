using System.Globalization;
using System.Text;
using Autotier.Domain.Lifecycle;
using Autotier.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Autotier.Functions.Ops;

/// <summary>
/// The pieces every ops page is made of (TS <c>opsHtml.ts</c>, <c>opsStyle.ts</c>): times, badges,
/// fact lists, tables, the header, the SLA cell and the refusal page, rendered through the app's one
/// page renderer (<see cref="HtmlPage"/>). Every value from outside is encoded here or by the caller.
/// </summary>
public static class OpsPages
{
    /// <summary>
    /// The one stylesheet, inline and allowed by its hash. Colours keep at least 4.5:1 against their
    /// background; state is always said in words too. Below 760 px each table row becomes a card
    /// with its column names beside the values, so a phone reads one column.
    /// </summary>
    public const string Style = """
:root{--ink:#1d2330;--muted:#4a5263;--line:#d5d9e0;--bg:#f6f7f9;--card:#fff;--link:#0b57a4;--bad:#a3140b;--bad-bg:#fde8e6;--warn:#7a4b00;--warn-bg:#fff3d6;--ok:#14612c;--ok-bg:#e3f4e8;--info:#0b3d6e;--info-bg:#e1ecfa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--link)}
a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid #f5a300;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:1rem;z-index:2}
header{background:#1d2330;color:#fff;padding:.8rem 1.5rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header .brand{margin:0;font-size:1.2rem;font-weight:700;color:#fff}
header p{margin:0;color:#dfe3ea}
header a{color:#cfe3ff}
main{padding:1rem 1.5rem 3rem;max-width:1600px}
h1{font-size:1.4rem;margin:1rem 0;overflow-wrap:anywhere}
h2{font-size:1.1rem;margin:1rem 0 .6rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
section.card,form.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.4rem 1rem 1rem;margin-bottom:1rem}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1.4rem;align-items:flex-end}
.filters h2{flex-basis:100%;margin:.6rem 0 0}
.field{display:flex;flex-direction:column;gap:.2rem}
.check{display:flex;gap:.4rem;align-items:center;min-height:2.2rem}
label{font-weight:600}
select,button,input[type=text]{font:inherit;padding:.35rem .5rem;border:1px solid #8a93a3;border-radius:4px;background:#fff;color:var(--ink)}
input[type=checkbox]{width:1.1rem;height:1.1rem}
button{background:var(--link);border-color:var(--link);color:#fff;padding:.4rem 1rem;cursor:pointer}
button.secondary{background:#fff;color:var(--link)}
pre.raw{white-space:pre-wrap;overflow-wrap:anywhere;max-width:30rem;font-size:.85rem;margin:0}
td form label{display:block;margin-top:.3rem}
td form input{font:inherit;padding:.3rem .4rem;border:1px solid #8a93a3;border-radius:4px;margin-bottom:.4rem;max-width:14rem}
.note{color:var(--muted);margin:.2rem 0 .6rem}
table{border-collapse:collapse;width:100%;background:var(--card);font-size:.9rem}
caption{text-align:left;color:var(--muted);padding:.3rem 0}
th,td{text-align:left;vertical-align:top;padding:.4rem .45rem;border-bottom:1px solid var(--line);overflow-wrap:break-word}
tbody th{white-space:nowrap}
td[data-label=SLA]{min-width:12.5rem}
thead th{background:#eceef2;font-size:.8rem;text-transform:uppercase;letter-spacing:.02em;overflow-wrap:normal}
tbody tr:hover{background:#f0f4fa}
tr.is-failed{background:var(--bad-bg)}
tr.is-overdue{background:var(--warn-bg)}
tr.is-p1>th{box-shadow:inset 4px 0 0 var(--bad)}
tr.is-failed .badge,tr.is-overdue .badge{background:#fff;box-shadow:inset 0 0 0 1px currentColor}
.subject{min-width:9rem}
.when{white-space:nowrap}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.82rem;font-weight:600;background:var(--info-bg);color:var(--info)}
.badge.resolved,.badge.closed,.badge.Completed,.sla.OnTrack,.sla.Met{background:var(--ok-bg);color:var(--ok)}
.badge.escalated,.badge.Failed,.badge.Terminated,.sla.Breached,.prio.P1{background:var(--bad-bg);color:var(--bad)}
.badge.awaiting_confirmation,.badge.Suspended,.sla.AtRisk{background:var(--warn-bg);color:var(--warn)}
.sla.Paused,.sla.None{background:#eceef2;color:var(--muted)}
.sla{display:inline-block;padding:.05rem .4rem;border-radius:4px;font-weight:700;font-size:.82rem}
.sla.Breached{box-shadow:inset 0 0 0 1px var(--bad)}
.slaline{margin:0 0 .25rem}
.prio{display:inline-block;padding:.05rem .4rem;border-radius:4px;font-weight:700}
.flag{color:var(--bad);font-weight:700}
.who{margin:.6rem 0 .2rem}
.what{color:var(--muted);font-size:.85rem}
.empty{margin:.3rem 0 .8rem;color:var(--muted)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.2rem;margin:.4rem 0}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fafbfc;border-left:3px solid var(--line);padding:.5rem .8rem;margin:.3rem 0 .8rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,34rem),1fr));gap:0 1rem;align-items:start}
.stack>section{margin-bottom:1rem}
nav.pages{margin:.8rem 0}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.6rem;margin:.4rem 0 1rem}
.tile{border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem;background:#fafbfc}
.tile b{display:block;font-size:1.4rem;color:var(--info)}
.tile span{color:var(--muted);font-size:.85rem}
.tile.is-p1{border-color:var(--bad);box-shadow:inset 4px 0 0 var(--bad)}
.tile.is-p1 b{color:var(--bad)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,30rem),1fr));gap:1rem}
figure{margin:0}
figcaption{font-weight:600;margin-bottom:.3rem}
.charts svg text{font-size:14px}
.actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:.8rem}
form.action{margin:0;display:flex;flex-direction:column;gap:.5rem}
form.action h3{margin:.5rem 0 0}
textarea,input[type=text]{font:inherit;width:100%;padding:.35rem .5rem;border:1px solid #8a93a3;border-radius:4px;color:var(--ink)}
@media (max-width:760px){
main{padding:.6rem .6rem 2rem}
header{padding:.6rem}
table.cards,table.cards tbody,table.cards tr,table.cards th,table.cards td{display:block;width:100%}
table.cards thead{position:absolute;left:-9999px}
table.cards caption{display:block}
table.cards tr{border:1px solid var(--line);border-radius:6px;margin:0 0 .6rem;padding:.3rem .5rem}
table.cards th,table.cards td{border:0;padding:.2rem 0}
table.cards [data-label]::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}
dl.facts{grid-template-columns:1fr}
}
""";

    /// <summary>The list's stylesheet: the ops style and the report charts' legend swatches (<see cref="Application.Reporting.MetricsHtml.ChartStyle"/>), one copy of each.</summary>
    public const string ListStyle = Style + Application.Reporting.MetricsHtml.ChartStyle;

    public static string E(string? text) => HtmlPage.Encode(text);

    /// <summary><c>awaiting_confirmation</c>, <c>nextDeadlineIs</c> -> words people read.</summary>
    public static string Words(string id)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (c == '_') sb.Append(' ');
            else if (char.IsUpper(c) && i > 0 && char.IsLower(id[i - 1])) sb.Append(' ').Append(char.ToLowerInvariant(c));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary><c>2026-03-02 10:30</c> (UTC, as the header says) in a time element.</summary>
    public static string Time(DateTimeOffset? at, bool seconds = false) => at is { } t
        ? $"<time datetime=\"{t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\">{t.UtcDateTime.ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}</time>"
        : "—";

    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var ms = (at - now).TotalMilliseconds;
        var abs = Math.Abs(ms);
        var (unit, name) = abs < 90_000 ? (1000d, "s") : abs < 90 * 60_000 ? (60_000d, "min") : abs < 48 * 3_600_000 ? (3_600_000d, "h") : (86_400_000d, "d");
        var amount = Math.Round(abs / unit).ToString(CultureInfo.InvariantCulture) + " " + name;
        return ms >= 0 ? $"in {amount}" : $"{amount} ago";
    }

    public static string Badge(string value, string? label = null) => $"<span class=\"badge {E(value)}\">{E(label ?? Words(value))}</span>";

    public static string SlaBadge(SlaState state) => $"<span class=\"sla {state}\">{E(SlaStanding.Words(state))}</span>";

    /// <summary>What each deadline of the workflow's custom status (<c>nextDeadlineIs</c>) means.</summary>
    public static string DeadlineWords(string? key) => key switch
    {
        null => "",
        "reminder" => "remind the requester",
        "silence" => "no answer: close or escalate",
        "tierLimit" => "tier time limit",
        "repage" => "page the on-call again",
        "slaWarning" => "SLA warning (75%)",
        "slaBreach" => "SLA breach",
        "reopenWindow" => "reopen window ends",
        _ => Words(key),
    };

    public static string DeadlineCell(Application.Ops.WorkflowSummary? workflow, DateTimeOffset now, bool overdue)
    {
        if (workflow?.NextDeadline is not { } due) return "—";
        var what = DeadlineWords(workflow.NextDeadlineIs);
        return $"{Time(due)}<br><span class=\"what\">{E(what.Length > 0 ? what + ", " : "")}<span class=\"when\">{E(Relative(due, now))}</span></span>"
            + (overdue ? "<br><strong class=\"flag\">Overdue</strong>" : "");
    }

    /// <summary>The SLA in words and colour: each window that matters, its state and due time.</summary>
    public static string SlaCell(SlaStanding sla, DateTimeOffset now)
    {
        if (sla.State == SlaState.None) return SlaBadge(SlaState.None);
        var lines = new StringBuilder();
        foreach (var w in new[] { sla.Response, sla.Resolution })
        {
            if (w is null) continue;
            var due = w.Due is { } d
                ? $" <span class=\"what\">due {Time(d)}, <span class=\"when\">{E(Relative(d, now))}</span></span>"
                : "";
            lines.Append(CultureInfo.InvariantCulture, $"<p class=\"slaline\"><span class=\"sla {w.State}\">{E(Capital(w.Which))} {E(SlaStanding.Words(w.State))}</span>{due}</p>");
        }
        return lines.ToString();
    }

    public static string Header(DateTimeOffset now, string? back = null) =>
        "<a class=\"skip\" href=\"#main\">Skip to the content</a><header><p class=\"brand\">autotier ops</p>"
        + $"<p>As of {Time(now)} (all times UTC)</p>{back}</header>";

    public static string Facts(IEnumerable<(string Name, string? Html)> items) =>
        "<dl class=\"facts\">" + string.Concat(items.Where(i => i.Html is not null).Select(i => $"<dt>{E(i.Name)}</dt><dd>{i.Html}</dd>")) + "</dl>";

    /// <summary>A table whose rows become labelled cards on a phone; cells are trusted markup.</summary>
    public static string Table(string caption, IReadOnlyList<string> headings, IEnumerable<IReadOnlyList<string>> rows, string empty)
    {
        var body = string.Concat(rows.Select(cells => "<tr>" + string.Concat(cells.Select((c, i) => $"<td data-label=\"{E(headings[i])}\">{c}</td>")) + "</tr>"));
        if (body.Length == 0) return $"<p class=\"empty\">{E(empty)}</p>";
        return $"<table class=\"cards\"><caption>{E(caption)}</caption><thead><tr>"
            + string.Concat(headings.Select(h => $"<th scope=\"col\">{E(h)}</th>"))
            + $"</tr></thead><tbody>{body}</tbody></table>";
    }

    public static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>303: the browser fetches <paramref name="location"/> with a GET, so a reload does not post the form again.</summary>
    public static ContentResult SeeOther(HttpRequest request, string location)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.Location = location;
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new ContentResult { StatusCode = StatusCodes.Status303SeeOther, ContentType = "text/plain; charset=utf-8", Content = "" };
    }

    /// <summary>A posted form, read up to <paramref name="limit"/> bytes and no further; null when it is larger or not UTF-8.</summary>
    public static async Task<Dictionary<string, Microsoft.Extensions.Primitives.StringValues>?> FormAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (await HttpJson.ReadBytesAsync(request, limit, cancellationToken) is not { } body) return null;
        try
        {
            return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new System.Text.UTF8Encoding(false, true).GetString(body));
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>A refusal: a page with the reason and the way on for a browser, JSON <c>{error}</c> for anything else.</summary>
    public static IActionResult Refuse(HttpRequest request, int status, string title, string error, DateTimeOffset now, (string Href, string Text)? link = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!LinkPage.WantsHtml(request)) return HttpJson.Error(status, error);
        var back = link ?? ((request.Path.Value ?? "").Contains("/ops/tickets/", StringComparison.Ordinal) ? ("../../ops", "Back to the ticket list") : ("ops", "Back to the ticket list"));
        var body = Header(now) + $"<main id=\"main\"><h1>{E(title)}</h1><section class=\"card\"><p>{E(error)}</p>"
            + $"<p><a href=\"{E(back.Href)}\">{E(back.Text)}</a></p></section></main>";
        return HtmlPage.Render(request.HttpContext.Response, status, $"autotier ops: {title}", body, Style);
    }
}
