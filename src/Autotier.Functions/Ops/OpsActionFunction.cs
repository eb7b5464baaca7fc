using System.Text.Json;
using Autotier.Adapters.Durable;
using Autotier.Application.Lifecycle;
using Autotier.Application.Ops;
using Autotier.Application.Tickets;
using Autotier.Domain.Lifecycle;
using Autotier.Application.Ports;
using Autotier.Domain.Tickets;
using Autotier.Functions.Http;
using Autotier.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Autotier.Functions.Ops;

/// <summary>
/// <c>POST /api/ops/tickets/{ticketId}/actions</c>: the ticket page's forms (issue #34 fix 2), under
/// the page's own access rule and an anti-forgery token (<see cref="OpsForms"/>). Recording a plan
/// and resolving are the <c>plan</c> and <c>resolved</c> events of <c>POST /api/tickets/{id}/events</c>,
/// through the same use case (<see cref="TicketEventIntake"/>), with the signed-in engineer as
/// <c>by</c>; assigning an owner sets the ticket's owner and says so on the timeline; reclassifying
/// is the <c>reclassified</c> event (<see cref="TicketCorrections"/>: the client's corrections learn
/// from it); pausing and resuming the SLA is the <c>waiting</c> event a PSA's status sends, marked
/// as the ops page's; retry and stop act on the Durable instance (<see cref="OpsWorkflowActions"/>);
/// link and unlink change the incident (<see cref="IncidentLinking"/>) and tell the workflow. Each
/// answers with a redirect to the ticket page (so a reload does not post again), or a page with the
/// refusal.
/// </summary>
public sealed class OpsActionFunction(
    TicketEventIntake events,
    ITicketStore tickets,
    TicketCorrections corrections,
    OpsWorkflowActions workflows,
    IncidentLinking incidents,
    OpsAccessSettings access,
    Func<LinkSettings> links,
    TimeProvider time)
{
    private const int MaxFormBytes = 16 * 1024;

    [Function("opsTicketAction")]
    public async Task<IActionResult> Act(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/tickets/{ticketId}/actions")] HttpRequest request,
        string ticketId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var (caller, refusal) = OpsAccess.Check(request, access, now, ticketId);
        if (refusal is not null) return refusal;
        var form = await OpsPages.FormAsync(request, MaxFormBytes, cancellationToken);
        if (form is null) return OpsPages.Refuse(request, 413, "That is too long", $"the form is larger than {MaxFormBytes} bytes or not UTF-8", now);
        string? Field(string name) => form.TryGetValue(name, out var v) && v.Count == 1 && v[0] is { Length: > 0 } s ? s.Trim() : null;

        if (OpsForms.Problem(Field("token"), ticketId, caller!, links().SigningKey, now) is { } forged)
            return OpsPages.Refuse(request, 403, "That form has expired", forged, now);
        // With the key (no sign-in), who acts is whoever the form says, marked as such.
        var by = caller!.Who == "ops key" ? (Field("by") is { } named ? $"{named} (ops key)" : null) : caller.Who;
        if (by is null) return OpsPages.Refuse(request, 400, "Say who you are", "by: your name is needed, for the timeline", now);

        var back = $"../{ticketId}{caller.KeyQuery}";
        var workflow = new DurableTicketWorkflow(durable, OrchestrationNames.Ticket);
        IActionResult Done(OpsRefusal? refused) => refused is null
            ? OpsPages.SeeOther(request, back)
            : OpsPages.Refuse(request, refused.Status, "That did not work", refused.Error, now);
        IActionResult Raised(EventResult result) => result switch
        {
            EventResult.Accepted => OpsPages.SeeOther(request, back),
            EventResult.Refused r => OpsPages.Refuse(request, r.Status, "That did not work", r.Error, now),
            _ => OpsPages.Refuse(request, 409, "That did not work", $"ticket {ticketId} is finished", now),
        };
        switch (Field("action"))
        {
            case "plan":
            case "resolve":
                var body = new Dictionary<string, object?> { ["type"] = Field("action") == "plan" ? "plan" : "resolved", ["by"] = by, ["note"] = Field("note") };
                if (Field("publicNote") is { } publicNote) body["publicNote"] = publicNote;
                return Raised(await events.PostAsync(ticketId, JsonSerializer.SerializeToElement(body), workflow, cancellationToken));
            case "assign":
                if (Field("owner") is not { } owner || owner.Length > 200)
                    return OpsPages.Refuse(request, 400, "Who should own it?", "owner: give a name of at most 200 characters", now);
                var changed = await tickets.UpdateAsync(ticketId, t => t.Owner == owner ? null : t with { Owner = owner, UpdatedAt = now }, cancellationToken);
                if (changed is null) return OpsPages.Refuse(request, 404, "No such ticket", $"ticket {ticketId} not found", now);
                await tickets.AppendTimelineAsync(ticketId, new TimelineEntry($"owner-{now.ToUnixTimeMilliseconds()}", now, null, $"Owner set to {owner} by {by}"), cancellationToken);
                return OpsPages.SeeOther(request, back);
            case "reclassify":
                var correction = new Dictionary<string, object?> { ["type"] = "reclassified", ["by"] = by };
                if (Field("category") is { } category) correction["category"] = category;
                if (Field("priority") is { } priority) correction["priority"] = priority;
                if (Field("note") is { } why) correction["note"] = why;
                return await corrections.ReclassifyAsync(ticketId, JsonSerializer.SerializeToElement(correction), cancellationToken) switch
                {
                    CorrectionResult.Accepted => OpsPages.SeeOther(request, back),
                    CorrectionResult.Invalid i => OpsPages.Refuse(request, 400, "That did not work", i.Error, now),
                    CorrectionResult.NotFound n => OpsPages.Refuse(request, 404, "No such ticket", n.Error, now),
                    CorrectionResult.Conflict c => OpsPages.Refuse(request, 409, "That did not work", c.Error, now),
                    _ => OpsPages.Refuse(request, 409, "That did not work", "the correction was not recorded", now),
                };
            case "pause":
            case "resume":
                var hold = new TicketEvent(TicketEvent.Waiting) { IsWaiting = Field("action") == "pause", By = by, Source = "ops" };
                return Raised(await events.RaiseAsync(ticketId, hold, workflow, cancellationToken));
            case "retry":
                return Done(await workflows.RetryAsync(ticketId, by, workflow, workflow, cancellationToken));
            case "stop":
                if (Field("note") is not { Length: <= TicketEventRequest.MaxNoteChars } reason)
                    return OpsPages.Refuse(request, 400, "Why stop it?", "note: say why, for the timeline (at most 4000 characters)", now);
                return Done(await workflows.StopAsync(ticketId, by, reason, workflow, cancellationToken));
            case "link":
                if (Field("incident") is not { Length: <= 100 } incidentId)
                    return OpsPages.Refuse(request, 400, "Which incident?", "incident: choose an open incident of the ticket's client", now);
                return await LinkAsync(ticketId, incidentId, by, workflow, now, cancellationToken) is { } linkRefused
                    ? OpsPages.Refuse(request, linkRefused.Status, "That did not work", linkRefused.Error, now)
                    : OpsPages.SeeOther(request, back);
            case "unlink":
                return await UnlinkAsync(ticketId, by, workflow, now, cancellationToken) is { } unlinkRefused
                    ? OpsPages.Refuse(request, unlinkRefused.Status, "That did not work", unlinkRefused.Error, now)
                    : OpsPages.SeeOther(request, back);
            default:
                return OpsPages.Refuse(request, 400, "Which action?", "action: must be plan, resolve, assign, reclassify, pause, resume, retry, stop, link or unlink", now);
        }
    }

    /// <summary>Only a ticket with a person is linked or unlinked by hand: its workflow is the one that acts on the link.</summary>
    private async Task<OpsRefusal?> WithAPersonAsync(string ticketId, CancellationToken cancellationToken) =>
        await tickets.GetAsync(ticketId, cancellationToken) switch
        {
            null => new OpsRefusal(404, $"ticket {ticketId} not found"),
            { Stage: not Stage.Escalated } t => new OpsRefusal(409, $"ticket {ticketId} is {OpsFilters.StageName(t.Stage)}; only a ticket with a person is linked or unlinked by hand"),
            _ => null,
        };

    private async Task<OpsRefusal?> LinkAsync(string ticketId, string incidentId, string by, DurableTicketWorkflow workflow, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await WithAPersonAsync(ticketId, cancellationToken) is { } refused) return refused;
        var (link, why) = await incidents.LinkToAsync(ticketId, incidentId, by, now, cancellationToken);
        if (link is null) return new OpsRefusal(409, why!);
        await workflow.RaiseAsync(ticketId, new TicketEvent(TicketEvent.IncidentChanged) { Incident = link, By = by, Source = "ops" }, cancellationToken);
        return null;
    }

    private async Task<OpsRefusal?> UnlinkAsync(string ticketId, string by, DurableTicketWorkflow workflow, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await WithAPersonAsync(ticketId, cancellationToken) is { } refused) return refused;
        if (await incidents.UnlinkAsync(ticketId, by, now, cancellationToken) is { } why) return new OpsRefusal(409, why);
        await workflow.RaiseAsync(ticketId, new TicketEvent(TicketEvent.IncidentChanged) { By = by, Source = "ops" }, cancellationToken);
        return null;
    }
}
