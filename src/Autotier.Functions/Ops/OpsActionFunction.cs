using System.Text.Json;
using Autotier.Adapters.Durable;
using Autotier.Application.Lifecycle;
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
/// <c>by</c>; assigning an owner sets the ticket's owner and says so on the timeline. Each answers
/// with a redirect to the ticket page (so a reload does not post again), or a page with the refusal.
/// </summary>
public sealed class OpsActionFunction(TicketEventIntake events, ITicketStore tickets, OpsAccessSettings access, Func<LinkSettings> links, TimeProvider time)
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
        switch (Field("action"))
        {
            case "plan":
            case "resolve":
                var body = new Dictionary<string, object?> { ["type"] = Field("action") == "plan" ? "plan" : "resolved", ["by"] = by, ["note"] = Field("note") };
                if (Field("publicNote") is { } publicNote) body["publicNote"] = publicNote;
                var json = JsonSerializer.SerializeToElement(body);
                return await events.PostAsync(ticketId, json, new DurableTicketWorkflow(durable, OrchestrationNames.Ticket), cancellationToken) switch
                {
                    EventResult.Accepted => OpsPages.SeeOther(request, back),
                    EventResult.Refused r => OpsPages.Refuse(request, r.Status, "That did not work", r.Error, now),
                    _ => OpsPages.Refuse(request, 409, "That did not work", $"ticket {ticketId} is finished", now),
                };
            case "assign":
                if (Field("owner") is not { } owner || owner.Length > 200)
                    return OpsPages.Refuse(request, 400, "Who should own it?", "owner: give a name of at most 200 characters", now);
                var changed = await tickets.UpdateAsync(ticketId, t => t.Owner == owner ? null : t with { Owner = owner, UpdatedAt = now }, cancellationToken);
                if (changed is null) return OpsPages.Refuse(request, 404, "No such ticket", $"ticket {ticketId} not found", now);
                await tickets.AppendTimelineAsync(ticketId, new TimelineEntry($"owner-{now.ToUnixTimeMilliseconds()}", now, null, $"Owner set to {owner} by {by}"), cancellationToken);
                return OpsPages.SeeOther(request, back);
            default:
                return OpsPages.Refuse(request, 400, "Which action?", "action: must be plan, resolve or assign", now);
        }
    }
}
