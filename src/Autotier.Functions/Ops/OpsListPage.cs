using System.Globalization;
using Autotier.Application.Metrics;
using Autotier.Application.Ops;
using Autotier.Application.Reporting;
using Autotier.Domain.Tickets;
using static Autotier.Functions.Ops.OpsPages;

namespace Autotier.Functions.Ops;

/// <summary>
/// The ops list (TS <c>opsListPage.ts</c>) with issue #34's fix 1: an SLA column (response and
/// resolution, breached / at risk / on track in words and colour), a filter for the SLAs that need
/// someone, P1s first and marked, owner and requester columns; and the outcomes of a period under it
/// (TS <c>metricsScript.ts</c>'s section), server-rendered from <see cref="ClientMetricsQuery"/>
/// with the report's figures and charts (<see cref="MetricsHtml"/>), so no script is needed and the
/// page, <c>GET /api/metrics</c> and <c>autotier report</c> cannot disagree.
/// </summary>
public static class OpsListPage
{
    /// <summary>
    /// The client whose outcomes the list shows: the client filter's, or the one client every listed
    /// ticket belongs to; none when the list mixes clients (metrics are per client, as the API's).
    /// </summary>
    public static string? OutcomesClient(OpsList list, OpsFilters filters)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Client is not null) return filters.Client;
        var clients = list.Rows.Where(r => r.Ticket is not null).Select(r => r.Ticket!.ClientId).Distinct(StringComparer.Ordinal).Take(2).ToList();
        return clients.Count == 1 ? clients[0] : null;
    }

    /// <param name="outcomes">The metrics of <see cref="OutcomesClient"/> over the filters' period; null when there is no one client to show.</param>
    public static string Body(OpsList list, OpsFilters filters, OpsCaller caller, int needsAHome = 0, MetricsResult? outcomes = null)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(caller);
        var key = caller.KeyQuery;
        var rows = string.Concat(list.Rows.Select(r => Row(r, list.Now, key)));
        var attention = list.Rows.Count(r => r.Sla.NeedsAttention);
        var table = list.Rows.Count > 0
            ? $"<table class=\"cards\"><caption>{E(Scope(list, filters))}</caption><thead><tr>"
                + string.Concat(Headings.Select(h => $"<th scope=\"col\">{E(h)}</th>"))
                + $"</tr></thead><tbody>{rows}</tbody></table>"
            : $"<p class=\"empty\">No tickets match. {E(Scope(list, filters))}</p>";
        return Header(list.Now)
            + "<main id=\"main\"><h1>Tickets</h1>"
            // Deliveries no client could be found for: seen here, not only in a log line (issue #33 fix 7).
            + (needsAHome > 0
                ? $"<p class=\"flag\"><a href=\"ops/review{key}\">{needsAHome} deliver{(needsAHome == 1 ? "y" : "ies")} need{(needsAHome == 1 ? "s" : "")} a home</a></p>"
                : $"<p><a href=\"ops/review{key}\">Needs a home</a>: nothing waiting</p>")
            + Form(filters, list, caller)
            + "<section class=\"card\" aria-labelledby=\"tickets-h\">"
            + $"<h2 id=\"tickets-h\">Tickets ({list.Rows.Count}){(attention > 0 ? $", <span class=\"flag\">{attention} with the SLA breached or at risk</span>" : "")}</h2>"
            + table + PageLinks(list, filters, caller) + "</section>"
            + Outcomes(list, filters, outcomes) + "</main>";
    }

    /// <summary>
    /// The outcomes section: the report's summary figures (value and meaning in words), the open P1s
    /// of the list, and two of the report's weekly charts, each an inline SVG with its values in its
    /// text equivalent.
    /// </summary>
    private static string Outcomes(OpsList list, OpsFilters filters, MetricsResult? outcomes)
    {
        var days = filters.Days.ToString(CultureInfo.InvariantCulture);
        var head = "<section id=\"metrics\" class=\"card\" aria-labelledby=\"metrics-h\">";
        switch (outcomes)
        {
            case null:
                return head + "<h2 id=\"metrics-h\">Outcomes</h2>"
                    + "<p class=\"note\">Outcomes are counted per client, and the tickets listed are not all one client's: choose a client in the filter to see its outcomes.</p></section>";
            case MetricsResult.Refused refused:
                return head + "<h2 id=\"metrics-h\">Outcomes</h2>"
                    + $"<p class=\"note\">The outcomes could not be counted: {E(refused.Error)}.</p></section>";
            case MetricsResult.Ok { Figures: { } m } ok:
                var openP1 = list.Rows.Count(r => r.IsP1 && r.Ticket is { } t && t.ClientId == m.ClientId && t.Stage is not (Stage.Resolved or Stage.Closed));
                var tiles = MetricsHtml.Summary(m, ok.Incidents.Count)
                    .Prepend((Value: openP1.ToString(CultureInfo.InvariantCulture), Label: $"open P1 ticket{(openP1 == 1 ? "" : "s")} in the list above"))
                    .Select((t, i) => $"<div role=\"listitem\" class=\"tile{(i == 0 && openP1 > 0 ? " is-p1" : "")}\"><b>{E(t.Value)}</b><span>{E(t.Label)}</span></div>");
                var name = ok.Client?.Name is { Length: > 0 } n ? n : m.ClientId;
                var last = m.To.AddMilliseconds(-1);
                return head + $"<h2 id=\"metrics-h\">Outcomes for {E(name)}, the last {days} day{(filters.Days == 1 ? "" : "s")}</h2>"
                    + $"<p class=\"note\">Tickets received from {Time(m.From)} to {Time(last)}; the same figures as <code>GET /api/metrics</code> and <code>autotier report</code>.</p>"
                    + $"<div class=\"tiles\" role=\"list\" aria-label=\"Summary\">{string.Concat(tiles)}</div>"
                    + $"<div class=\"charts\">{MetricsHtml.Chart("tickets", m.Weekly)}{MetricsHtml.Chart("deflection", m.Weekly)}</div></section>";
            default:
                return head + "<h2 id=\"metrics-h\">Outcomes</h2><p class=\"note\">No figures.</p></section>";
        }
    }

    private static readonly string[] Headings = ["Ticket", "Priority", "SLA", "Subject", "Requester", "Owner", "Client", "Stage", "Next deadline", "Workflow", "Filed"];

    private static string Row(OpsRow row, DateTimeOffset now, string key)
    {
        var t = row.Ticket;
        var failed = row.Workflow?.RuntimeStatus == "Failed";
        var classes = new List<string>();
        if (failed) classes.Add("is-failed");
        else if (row.Overdue) classes.Add("is-overdue");
        if (row.IsP1) classes.Add("is-p1");
        var cls = classes.Count > 0 ? $" class=\"{string.Join(' ', classes)}\"" : "";
        string Cell(int i, string html, string? cssClass = null) =>
            $"<td data-label=\"{Headings[i]}\"{(cssClass is null ? "" : $" class=\"{cssClass}\"")}>{html}</td>";
        var priority = t?.Classification?.Priority;
        var category = t?.Classification?.Category;
        return $"<tr{cls} data-ticket-id=\"{E(row.TicketId)}\" data-sla=\"{row.Sla.State}\">"
            + $"<th scope=\"row\" data-label=\"Ticket\">{(t is null ? E(row.TicketId) : $"<a href=\"ops/tickets/{E(row.TicketId)}{E(key)}\">{E(row.TicketId)}</a>")}</th>"
            + Cell(1, priority is null ? "—" : $"<span class=\"prio {E(priority)}\">{E(priority)}</span>{(row.IsP1 ? " <span class=\"what\">major</span>" : "")}")
            + Cell(2, SlaCell(row.Sla, now))
            + Cell(3, t is null ? "<em>no ticket is stored for this workflow</em>"
                : E(t.Subject) + (category is null ? "" : $"<br><span class=\"what\">{E(Words(category))}{(t.Tier is { } tier ? $", tier {tier}" : "")}</span>"), "subject")
            + Cell(4, t is null ? "—" : E(t.Requester.Name is { Length: > 0 } n ? n : t.Requester.Email) + (t.Requester.Name is { Length: > 0 } ? $"<br><span class=\"what\">{E(t.Requester.Email)}</span>" : ""))
            + Cell(5, t?.Owner is { } owner ? E(owner) : "<span class=\"what\">nobody yet</span>")
            + Cell(6, t is null ? "—" : E(t.ClientId))
            + Cell(7, t is null ? "—" : Badge(OpsFilters.StageName(t.Stage)))
            + Cell(8, DeadlineCell(row.Workflow, now, row.Overdue))
            + Cell(9, row.Workflow is { } w ? Badge(w.RuntimeStatus, w.RuntimeStatus) : "<span class=\"what\">none found</span>")
            + Cell(10, t is null ? "—" : Time(t.CreatedAt))
            + "</tr>";
    }

    private static string Option(string value, string label, bool selected) =>
        $"<option value=\"{E(value)}\"{(selected ? " selected" : "")}>{E(label)}</option>";

    private static string Form(OpsFilters filters, OpsList list, OpsCaller caller)
    {
        string Check(string name, string label, bool on) =>
            $"<div class=\"check\"><input type=\"checkbox\" id=\"f-{name}\" name=\"{name}\" value=\"1\"{(on ? " checked" : "")}><label for=\"f-{name}\">{E(label)}</label></div>";
        var clients = list.Rows.Where(r => r.Ticket is not null).Select(r => r.Ticket!.ClientId)
            .Concat(filters.Client is null ? [] : [filters.Client]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return "<form method=\"get\" class=\"card filters\" aria-labelledby=\"filters-h\"><h2 id=\"filters-h\">Filter</h2>"
            + (caller.Code is null ? "" : $"<input type=\"hidden\" name=\"code\" value=\"{E(caller.Code)}\">")
            + "<div class=\"field\"><label for=\"f-stage\">Stage</label><select id=\"f-stage\" name=\"stage\">"
            + Option("", "Any stage", filters.Stage is null)
            + string.Concat(Enum.GetValues<Stage>().Select(s => Option(OpsFilters.StageName(s), Words(OpsFilters.StageName(s)), filters.Stage == s)))
            + "</select></div>"
            + "<div class=\"field\"><label for=\"f-client\">Client</label><select id=\"f-client\" name=\"client\">"
            + Option("", "Every client", filters.Client is null)
            + string.Concat(clients.Select(c => Option(c, c, filters.Client == c)))
            + "</select></div>"
            + "<div class=\"field\"><label for=\"f-days\">Outcomes over</label><select id=\"f-days\" name=\"days\">"
            + string.Concat(new[] { 7, OpsFilters.DefaultDays, 90 }.Append(filters.Days).Distinct().Order()
                .Select(d => Option(d.ToString(CultureInfo.InvariantCulture), $"the last {d} day{(d == 1 ? "" : "s")}", filters.Days == d)))
            + "</select></div>"
            + Check("sla", "SLA breached or at risk", filters.Attention)
            + Check("overdue", "Workflow overdue (its next deadline passed)", filters.Overdue)
            + Check("failed", "Workflow failed", filters.Failed)
            + $"<div class=\"check\"><button type=\"submit\">Show</button> <a href=\"ops{E(caller.KeyQuery)}\">Clear filters</a></div>"
            + "</form>";
    }

    private static string Scope(OpsList list, OpsFilters filters)
    {
        var order = "P1s first, then by priority and the next SLA due time";
        if (list.Source == "workflows")
        {
            var what = filters.Failed ? "whose Durable workflow failed"
                : filters.Overdue ? "whose workflow is still running with its next deadline passed"
                : "still open";
            return $"Tickets {what}{(filters.Attention ? ", with the SLA breached or at risk" : "")}; {order}{(list.Truncated ? $"; the first {filters.Limit} are shown" : "")}.";
        }
        var text = $"The newest tickets{(filters.Before is null ? "" : $" filed before {filters.Before}")}";
        text += filters.Client is not null || filters.Stage is not null
            ? $" (looking through at most {list.ScanLimit}) of {(filters.Client is null ? "every client" : "client " + filters.Client)}{(filters.Stage is { } s ? " at stage " + Words(OpsFilters.StageName(s)) : "")}"
            : $", at most {filters.Limit}";
        return text + $"; {order}.";
    }

    private static string PageLinks(OpsList list, OpsFilters filters, OpsCaller caller)
    {
        if (list.Next is null) return "";
        var q = new List<string> { "before=" + Uri.EscapeDataString(list.Next) };
        if (filters.Client is not null) q.Add("client=" + Uri.EscapeDataString(filters.Client));
        if (filters.Stage is { } s) q.Add("stage=" + OpsFilters.StageName(s));
        if (filters.Limit != OpsFilters.DefaultLimit) q.Add("limit=" + filters.Limit.ToString(CultureInfo.InvariantCulture));
        if (filters.Days != OpsFilters.DefaultDays) q.Add("days=" + filters.Days.ToString(CultureInfo.InvariantCulture));
        if (caller.Code is not null) q.Add("code=" + Uri.EscapeDataString(caller.Code));
        return $"<nav class=\"pages\" aria-label=\"Pages\"><a href=\"ops?{E(string.Join('&', q))}\">Older tickets</a></nav>";
    }
}
