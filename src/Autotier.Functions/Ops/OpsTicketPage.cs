using System.Globalization;
using Autotier.Application.Ops;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Tickets;
using static Autotier.Functions.Ops.OpsPages;

namespace Autotier.Functions.Ops;

/// <summary>
/// A ticket's ops page (TS <c>opsTicketPage.ts</c>): its fields and request, the workflow and its
/// Durable history, the SLA in words, the resolution, the playbook record, the timeline, the
/// escalation package and the conversation.
/// </summary>
public static class OpsTicketPage
{
    /// <summary>History rows shown at most; the newest are kept.</summary>
    private const int MaxHistoryRows = 400;

    private const int MaxConversation = 20;

    /// <param name="formToken">The anti-forgery token the action forms carry (<see cref="OpsForms"/>).</param>
    public static string Body(OpsTicketView view, OpsCaller caller, string formToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(caller);
        var t = view.Ticket;
        var key = caller.KeyQuery;
        string Link(string id) => $"<a href=\"{E(id + key)}\">{E(id)}</a>";
        var c = t.Classification;
        var ticketFacts = Facts([
            ("Client", E(t.ClientId)),
            ("Requester", E(t.Requester.Name is { Length: > 0 } n ? $"{n} <{t.Requester.Email}>" : t.Requester.Email)),
            ("Owner", t.Owner is null ? "<span class=\"what\">nobody yet</span>" : E(t.Owner)),
            ("Channel", E(System.Text.Json.JsonSerializer.Serialize(t.Channel).Trim('"'))),
            ("PSA number", t.ExternalNumber is null ? null : E(t.ExternalNumber)),
            ("Stage", Badge(OpsFilters.StageName(t.Stage))),
            ("Category", c is null ? null : $"{E(Words(c.Category))} (confidence {c.Confidence.ToString("0.00", CultureInfo.InvariantCulture)}, decided by {E(c.DecidedBy)})"),
            ("Priority", c is null ? null : $"<span class=\"prio {E(c.Priority)}\">{E(c.Priority)}</span>{(c.Reasons.Count > 0 ? $" ({E(string.Join("; ", c.Reasons))})" : "")}"),
            ("Route", c is null ? null : E(c.Route)),
            ("Tier", t.Tier is { } tier ? tier.ToString(CultureInfo.InvariantCulture) : c?.Tier.ToString(CultureInfo.InvariantCulture)),
            ("Automation tried", t.Attempted is null ? null : E(t.Attempted)),
            ("Reopens", t.Reopens.ToString(CultureInfo.InvariantCulture)),
            ("Incident", t.IncidentId is null ? null : E(t.IncidentId)),
            ("Follow-up of", t.FollowUpOf is null ? null : Link(t.FollowUpOf)),
            ("Follow-ups", t.FollowUps is { Count: > 0 } f ? string.Join(", ", f.Select(Link)) : null),
            ("Attachments", t.Attachments is { Count: > 0 } a ? E(string.Join(", ", a.Select(x => $"{x.Filename} ({x.Size} bytes)"))) : null),
            ("Filed", Time(t.CreatedAt)),
            ("Updated", Time(t.UpdatedAt)),
        ]);
        return Header(view.Now, $"<p><a href=\"../../ops{E(key)}\">All tickets</a></p>")
            + $"<main id=\"main\"><h1>{E(t.TicketId)}: {E(t.Subject)}</h1>"
            + "<div class=\"grid\"><section class=\"card\" aria-labelledby=\"ticket-h\"><h2 id=\"ticket-h\">Ticket</h2>"
            + ticketFacts + $"<h3>Request</h3><div class=\"text\">{E(t.Body)}</div></section>"
            + "<div class=\"stack\">"
            + $"<section class=\"card\" aria-labelledby=\"sla-h\"><h2 id=\"sla-h\">SLA</h2>{Sla(view)}</section>"
            + $"<section class=\"card\" aria-labelledby=\"settings-h\"><h2 id=\"settings-h\">Client settings that decided</h2>{Settings(view)}</section>"
            + $"<section class=\"card\" aria-labelledby=\"workflow-h\"><h2 id=\"workflow-h\">Workflow (Durable Functions)</h2>{Workflow(view)}</section>"
            + $"<section class=\"card\" aria-labelledby=\"resolution-h\"><h2 id=\"resolution-h\">Resolution</h2>{Resolution(t)}</section>"
            + $"<section class=\"card\" aria-labelledby=\"playbook-h\"><h2 id=\"playbook-h\">Playbook</h2>{Playbook(t.Playbook)}</section>"
            + "</div></div>"
            + Actions(view, caller, formToken, key)
            + $"<section class=\"card\" aria-labelledby=\"alerts-h\"><h2 id=\"alerts-h\">Alerts</h2>{Alerts(view.Alerts)}</section>"
            + "<section class=\"card\" aria-labelledby=\"timeline-h\"><h2 id=\"timeline-h\">Timeline</h2>"
            + Table("What happened, oldest first", ["When", "Stage", "Step", "Note"],
                view.Timeline.OrderBy(l => l.At).Select(l => (IReadOnlyList<string>)[Time(l.At, true), l.Stage is { } s ? Badge(OpsFilters.StageName(s)) : "", E(l.Step), E(l.Note)]),
                "Nothing recorded yet.")
            + "</section>"
            + $"<section class=\"card\" aria-labelledby=\"history-h\"><h2 id=\"history-h\">Durable history</h2>{History(view.Workflow)}</section>"
            + "<section class=\"card\" aria-labelledby=\"escalation-h\"><h2 id=\"escalation-h\">Escalation package</h2>"
            + (t.Escalation is { } pkg ? Escalation(pkg, Link) : "<p class=\"empty\">Not escalated: automation has it, or it was solved without a person.</p>")
            + "</section>"
            + (t.Escalation is null ? $"<section class=\"card\" aria-labelledby=\"conversation-h\"><h2 id=\"conversation-h\">Conversation</h2>{Conversation(t.Conversation ?? [])}</section>" : "")
            + "</main>";
    }

    /// <summary>
    /// The forms that act on the ticket (issue #34 fix 2): each a POST to <c>{id}/actions</c> with the
    /// anti-forgery token; with the ops key instead of a sign-in, each asks who is acting. Only the
    /// forms that can do something now are shown (a plan while a person has it, a retry of a failed
    /// workflow, an unlink of a linked ticket, ...); the action refuses the rest anyway.
    /// </summary>
    private static string Actions(OpsTicketView view, OpsCaller caller, string token, string key)
    {
        var t = view.Ticket;
        var action = E($"{t.TicketId}/actions{key}");
        string Form(string name, string title, string fields, string button) =>
            $"<form method=\"post\" action=\"{action}\" class=\"card action\" aria-labelledby=\"{name}-h\"><h3 id=\"{name}-h\">{E(title)}</h3>"
            + $"<input type=\"hidden\" name=\"action\" value=\"{name}\"><input type=\"hidden\" name=\"token\" value=\"{E(token)}\">"
            + (caller.Who == "ops key" ? $"<div class=\"field\"><label for=\"{name}-by\">Your name</label><input type=\"text\" id=\"{name}-by\" name=\"by\" required maxlength=\"150\"></div>" : "")
            + fields + $"<div class=\"check\"><button type=\"submit\">{E(button)}</button></div></form>";
        string Note(string name, string label, bool required) =>
            $"<div class=\"field\"><label for=\"{name}-note\">{E(label)}</label><textarea id=\"{name}-note\" name=\"note\" rows=\"3\"{(required ? " required" : "")} maxlength=\"4000\"></textarea></div>";
        string Notes(string name) => Note(name, "Internal note (the timeline and the PSA, never mailed)", required: true)
            + $"<div class=\"field\"><label for=\"{name}-public\">Note to the requester (optional, mailed)</label><textarea id=\"{name}-public\" name=\"publicNote\" rows=\"3\" maxlength=\"4000\"></textarea></div>";
        static string Select(string id, string name, string label, IEnumerable<(string Value, string Text)> options, string? current) =>
            $"<div class=\"field\"><label for=\"{id}\">{E(label)}</label><select id=\"{id}\" name=\"{name}\">"
            + string.Concat(options.Select(o => $"<option value=\"{E(o.Value)}\"{(o.Value == current ? " selected" : "")}>{E(o.Text)}</option>")) + "</select></div>";

        var withPerson = t.Stage == Stage.Escalated;
        var finished = t.Stage is Stage.Resolved or Stage.Closed;
        var runtime = view.Workflow?.Summary.RuntimeStatus;
        var forms = new List<string>();
        if (withPerson) forms.Add(Form("plan", "Record a plan", Notes("plan"), "Record the plan"));
        if (!finished) forms.Add(Form("resolve", "Resolve", Notes("resolve"), "Resolve the ticket"));
        forms.Add(Form("assign", "Assign an owner",
            $"<div class=\"field\"><label for=\"assign-owner\">Owner</label><input type=\"text\" id=\"assign-owner\" name=\"owner\" required maxlength=\"200\" value=\"{E(t.Owner)}\"></div>",
            "Assign"));
        if (t.Classification is { } c)
            forms.Add(Form("reclassify", "Reclassify",
                Select("reclassify-category", "category", "Category", Domain.Classification.Categories.All.Select(x => (x, Words(x))), c.Category)
                + Select("reclassify-priority", "priority", "Priority", Domain.Classification.Priorities.All.Select(x => (x, x)), c.Priority)
                + Note("reclassify", "Why (optional; the client's classifier learns from it)", required: false),
                "Reclassify"));
        if (withPerson && t.Sla is { } sla)
            forms.Add(sla.Paused
                ? Form("resume", "Resume the SLA", "<p class=\"note\">The resolution clock runs again from now.</p>", "Resume the SLA clock")
                : Form("pause", "Pause the SLA", "<p class=\"note\">Waiting on the requester: the resolution clock stops until you resume it (or the PSA's status moves back to open).</p>", "Pause the SLA clock"));
        if (runtime == "Failed")
            forms.Add(Form("retry", "Retry the workflow", "<p class=\"note\">It failed. It runs again from the start; steps already done (mails, playbook actions) are not repeated.</p>", "Retry the workflow"));
        if (runtime is "Failed" or "Running" or "Pending" or "Suspended" && t.Stage != Stage.Closed)
            forms.Add(Form("stop", "Stop the workflow",
                "<p class=\"note\">autotier stops reminding, escalating and mailing about this ticket and closes it here; handle it by hand in the PSA and tell the requester yourself.</p>"
                + Note("stop", "Why (internal, on the timeline)", required: true),
                "Stop and close here"));
        if (withPerson && t.IncidentId is { } incident)
            forms.Add(Form("unlink", "Unlink from the incident", $"<p class=\"note\">It leaves incident {E(incident)} and stands on its own: its own time limits and alerts again.</p>", "Unlink"));
        else if (withPerson && view.OpenIncidents.Count > 0)
            forms.Add(Form("link", "Link to an incident",
                Select("link-incident", "incident", "Open incident of this client",
                    view.OpenIncidents.OrderByDescending(i => i.LastJoinedAt).Select(i => (i.IncidentId, $"{i.IncidentId}: {Words(i.Kind.Replace(':', '_'))}, led by {i.LeadTicketId}, {i.Members.Count} ticket(s)")), null)
                + "<p class=\"note\">The lead's engineer then acts for it: their plan and fix reach this requester too.</p>",
                "Link"));
        return "<section class=\"card\" aria-labelledby=\"act-h\"><h2 id=\"act-h\">Act on this ticket</h2>"
            + $"<p class=\"note\">Acting as {E(caller.Who == "ops key" ? "the holder of the ops key" : caller.Who)}; each action is on the timeline with who did it.</p>"
            + $"<div class=\"actions\">{string.Concat(forms)}</div></section>";
    }

    /// <summary>The ticket's alerts and what became of them: a failing Teams or mail delivery shows here with its last error.</summary>
    private static string Alerts(IReadOnlyList<Application.Ports.AlertDeliveryRecord> alerts) =>
        Table("Alerts about this ticket, oldest first", ["When", "Alert", "Channel", "What became of it"],
            alerts.Select(a => (IReadOnlyList<string>)[
                Time(a.At, true),
                E(a.Key),
                a.Channel is { } ch ? E(ch == Domain.Alerts.AlertChannel.Webhook ? "Teams (webhook)" : "mail") : "",
                a.Status == "failed"
                    ? $"<span class=\"badge Failed\">failing</span> {E(string.Create(CultureInfo.InvariantCulture, $"{a.Failures ?? 1} failed tr{(a.Failures is > 1 ? "ies" : "y")}: {a.Error}"))}"
                    : E(a.Status switch
                    {
                        "alone" => "sent on its own",
                        "gathered" => "gathered into the digest",
                        "dropped" => "not sent: the ticket was finished by then",
                        "nochannel" => "not sent: no channel is set for its audience",
                        "recovered" => "delivered after failing",
                        _ => Words(a.Status),
                    }),
            ]),
            "No alerts about this ticket.");

    /// <summary>
    /// The client's settings this ticket's course turned on (issue #34 fix 6), each with what it
    /// decided here, so an engineer can tell a setting from a bug (`autotier client set` changes them).
    /// </summary>
    private static string Settings(OpsTicketView view)
    {
        if (view.Client is not { } client) return "<p>The client is not set up any more: its settings cannot be shown.</p>";
        var t = view.Ticket;
        var c = t.Classification;
        var lifecycle = client.Lifecycle ?? Domain.Lifecycle.LifecycleSettings.Default;
        var vip = client.VipEmails.Contains(t.Requester.Email, StringComparer.OrdinalIgnoreCase);
        var tier = t.Tier ?? c?.Tier ?? 1;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return Facts([
            ("Automation threshold (autoThreshold)", E(c is null ? client.AutoThreshold.ToString("0.##", inv)
                : string.Create(inv, $"{client.AutoThreshold:0.##}: confidence {c.Confidence:0.##} {(c.Confidence >= client.AutoThreshold ? "reached it" : "did not reach it")}, route {c.Route}"))),
            ("VIP requester (vipEmails)", E(vip ? "yes: the priority was raised one step" : "no")),
            ("SLA tier (slaTier)", E(client.SlaTier)),
            ("Business hours (businessHours)", E($"{client.BusinessHours.Start}-{client.BusinessHours.End}, {client.BusinessHours.TimeZone}")),
            ("Silence (lifecycle.onSilence)", c is null ? null : E($"{Words(lifecycle.SilenceFor(c.Category).ToString().ToLowerInvariant())} after {lifecycle.ReminderAfterHours} h to the reminder and {lifecycle.SilenceAfterHours} h more")),
            ($"Tier {tier} time limit (lifecycle.tierLimitMinutes.{tier})", E(string.Create(inv, $"{lifecycle.TierLimit(tier).TotalMinutes:0} minutes to record a plan"))),
            ("Reopen window (lifecycle.reopenWindowDays)", E(string.Create(inv, $"{lifecycle.ReopenWindowDays} days"))),
            ("P1 paging (p1)", c?.Priority == "P1" ? E(P1Words(client.P1?.Sanitised() ?? Domain.Lifecycle.P1Settings.Default)) : null),
        ]);
    }

    private static string P1Words(Domain.Lifecycle.P1Settings p1) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"respond within {p1.ResponseMinutes} min, resolve within {p1.ResolutionMinutes} min, around the clock; the on-call paged every {p1.RepageMinutes} min, at most {p1.MaxPages} times");

    private static string Sla(OpsTicketView view)
    {
        var sla = view.Ticket.Sla;
        if (sla is null) return "<p class=\"empty\">Not set yet.</p>";
        return $"<p>{SlaBadge(view.Sla.State)}</p>" + SlaCell(view.Sla, view.Now) + Facts([
            ("Tier", E(sla.Tier)),
            ("Response due", Time(sla.ResponseDue)),
            ("A person responded", sla.RespondedAt is { } r ? Time(r) : "not yet"),
            ("Resolution due", sla.ResolutionDue is { } d ? Time(d) : "paused, or none"),
            ("Clock", E($"{(sla.AroundTheClock == true ? "around the clock" : "business hours")}, {(sla.Paused ? "paused" : "running")}")),
            ("Resolution warned / breached", E($"{(sla.Warned ? "warned" : "not warned")}, {(sla.Breached ? "breached" : "not breached")}")),
        ]);
    }

    private static string Workflow(OpsTicketView view)
    {
        if (view.Workflow is not { } w)
            return "<p class=\"empty\">No Durable instance: the workflow never started, or its history was purged after the retention.</p>";
        var s = w.Summary;
        var overdue = s.IsOverdue(view.Now);
        return Facts([
            ("Instance", E(TicketIds.OrchestrationInstanceId(view.Ticket.TicketId))),
            ("Runtime status", Badge(s.RuntimeStatus, s.RuntimeStatus)),
            ("Phase", s.Phase is null ? null : E(s.Phase)),
            ("Next deadline", s.NextDeadline is null ? null : DeadlineCell(s, view.Now, overdue)),
            ("Created", Time(s.CreatedAt)),
            ("Last updated", Time(s.LastUpdatedAt)),
            (s.RuntimeStatus == "Failed" ? "What failed" : "Output", w.Output is null ? null : $"<div class=\"text\">{E(w.Output)}</div>"),
        ]);
    }

    private static string History(WorkflowDetails? workflow)
    {
        if (workflow is null) return "<p class=\"empty\">No Durable history.</p>";
        if (workflow.History is not { } all) return "<p class=\"empty\">This Durable client cannot read histories.</p>";
        var shown = all.Skip(Math.Max(0, all.Count - MaxHistoryRows)).ToList();
        var first = all.Count - shown.Count;
        return Table(
            first > 0 ? $"The latest {shown.Count} of {all.Count} events" : $"{shown.Count} events, oldest first",
            ["#", "When", "Event", "Activity, timer or event", "Detail"],
            shown.Select((h, i) => (IReadOnlyList<string>)[
                (first + i + 1).ToString(CultureInfo.InvariantCulture),
                Time(h.At, true),
                E(h.Type),
                E(h.Name ?? ""),
                h.Type.StartsWith("Timer", StringComparison.Ordinal) && h.Detail is { } fire && DateTimeOffset.TryParse(fire, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? "fires " + Time(at, true) : E(h.Detail ?? ""),
            ]),
            "No history events (the instance has not run yet).");
    }

    private static string Resolution(Ticket t) => t.Resolution is { } r
        ? Facts([("By", E(r.Engineer is null ? r.By : $"{r.By} ({r.Engineer})")), ("At", Time(r.At)), ("Note (internal)", r.Note is null ? null : E(r.Note))])
        : "<p class=\"empty\">Not resolved yet.</p>";

    private static string Playbook(Domain.Playbooks.PlaybookRecord? p) => p is null
        ? "<p class=\"empty\">No playbook ran.</p>"
        : Facts([
            ("Playbook", E(p.Name)),
            ("It found", p.Findings.Count > 0 ? E(string.Join("; ", p.Findings)) : "nothing recorded"),
            ("It did", p.Actions.Count > 0 ? E(string.Join("; ", p.Actions.Select(a => $"{Words(a.Action)}: {a.Target} ({a.Detail})"))) : "nothing"),
            ("It stopped because", p.StoppedBecause is null ? null : E(p.StoppedBecause)),
        ]);

    private static string Conversation(IReadOnlyList<ConversationEntry> entries)
    {
        if (entries.Count == 0) return "<p class=\"empty\">Nothing said yet.</p>";
        var shown = entries.Skip(Math.Max(0, entries.Count - MaxConversation));
        return (entries.Count > MaxConversation ? $"<p class=\"note\">The latest {MaxConversation} of {entries.Count} messages.</p>" : "")
            + string.Concat(shown.Select(c => $"<p class=\"who\"><strong>{E(c.From)}</strong>, {Time(c.At)}</p><div class=\"text\">{E(c.Text)}</div>"));
    }

    private static string Escalation(EscalationPackage pkg, Func<string, string> link) =>
        Facts([
            ("Why", E(pkg.Reason)),
            ("Tier", pkg.Tier.ToString(CultureInfo.InvariantCulture)),
            ("Priority", $"{E(pkg.Priority)}{(pkg.PriorityReasons.Count > 0 ? $" ({E(string.Join("; ", pkg.PriorityReasons))})" : "")}"),
            ("Category", $"{E(Words(pkg.Category))} (confidence {pkg.Confidence.ToString("0.00", CultureInfo.InvariantCulture)})"),
            ("Response due", pkg.ResponseDue is { } rd ? Time(rd) : null),
            ("Resolution due", pkg.ResolutionDue is { } d ? Time(d) : null),
            ("Escalated", Time(pkg.CreatedAt)),
        ])
        + "<h3>What automation tried</h3>"
        + Facts([("Guide or playbook", E(pkg.Automation.Attempted ?? "nothing")), ("Requester answered", E(pkg.Automation.RequesterAnswer))])
        + (pkg.Briefing is { } b ? $"<h3>{E(b.Label)}</h3><div class=\"text\">{E(b.Summary)}</div>" + (b.Steps.Count > 0 ? "<ol>" + string.Concat(b.Steps.Select(s => $"<li>{E(s)}</li>")) + "</ol>" : "") : "")
        + "<h3>Suggested steps</h3>"
        + (pkg.SuggestedSteps.Count > 0 ? "<ol>" + string.Concat(pkg.SuggestedSteps.Select(s => $"<li>{E(s)}</li>")) + "</ol>" : "<p class=\"empty\">None.</p>")
        + "<h3>Similar solved tickets</h3>"
        + Table("Solved tickets of this client that read alike", ["Ticket", "Subject", "Category", "How it was solved", "Score"],
            pkg.SimilarTickets.Select(s => (IReadOnlyList<string>)[link(s.TicketId), E(s.Subject), E(s.Category is null ? "—" : Words(s.Category)), E(s.Resolution), s.Score.ToString("0.00", CultureInfo.InvariantCulture)]),
            "None found.")
        + "<h3>Conversation in the package</h3>" + Conversation(pkg.Conversation);
}
