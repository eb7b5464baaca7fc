using Autotier.Application.Ops;
using Autotier.Domain.Tickets;
using static Autotier.Functions.Ops.OpsPages;

namespace Autotier.Functions.Ops;

/// <summary>
/// The ops list (TS <c>opsListPage.ts</c>) with issue #34's fix 1: an SLA column (response and
/// resolution, breached / at risk / on track in words and colour), a filter for the SLAs that need
/// someone, P1s first and marked, owner and requester columns.
/// </summary>
public static class OpsListPage
{
    public static string Body(OpsList list, OpsFilters filters, OpsCaller caller, int needsAHome = 0)
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
            + table + PageLinks(list, filters, caller) + "</section></main>";
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
        if (filters.Limit != OpsFilters.DefaultLimit) q.Add("limit=" + filters.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (caller.Code is not null) q.Add("code=" + Uri.EscapeDataString(caller.Code));
        return $"<nav class=\"pages\" aria-label=\"Pages\"><a href=\"ops?{E(string.Join('&', q))}\">Older tickets</a></nav>";
    }
}
