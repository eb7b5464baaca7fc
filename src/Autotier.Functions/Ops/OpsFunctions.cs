using Autotier.Adapters.Durable;
using Autotier.Application.Ops;
using Autotier.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Autotier.Functions.Ops;

/// <summary>
/// The ops pages for the MSP's operators: <c>GET /api/ops</c> (the list) and
/// <c>GET /api/ops/tickets/{ticketId}</c>. Anonymous to the host: <see cref="OpsAccess"/> is the gate
/// (it says why).
/// </summary>
public sealed class OpsFunctions(OpsListing listing, OpsTicketQuery tickets, Application.Webhooks.ReviewItems review, OpsAccessSettings access, Func<Application.Lifecycle.LinkSettings> links, TimeProvider time)
{
    [Function("opsList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var (caller, refusal) = OpsAccess.Check(request, access, now);
        if (refusal is not null) return refusal;
        var (filters, error) = OpsFilters.Parse(request.Query.Select(q => new KeyValuePair<string, IReadOnlyList<string>>(q.Key, q.Value.Select(v => v ?? "").ToList())));
        if (filters is null) return OpsPages.Refuse(request, 400, "That filter does not work", error!, now);
        return await listing.ListAsync(filters, new DurableWorkflowMonitor(durable), cancellationToken) switch
        {
            OpsListResult.Listed listed => HtmlPage.Render(request.HttpContext.Response, 200, "autotier ops: tickets",
                OpsListPage.Body(listed.List, filters, caller!, (await review.ListAsync(cancellationToken)).Count), OpsPages.Style),
            OpsListResult.UnknownClient unknown => OpsPages.Refuse(request, 404, "No such client", unknown.Error, now),
            _ => throw new InvalidOperationException("unknown list result"),
        };
    }

    [Function("opsTicket")]
    public async Task<IActionResult> Ticket(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ops/tickets/{ticketId}")] HttpRequest request,
        string ticketId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var (caller, refusal) = OpsAccess.Check(request, access, now, ticketId);
        if (refusal is not null) return refusal;
        var view = await tickets.GetAsync(ticketId, new DurableWorkflowMonitor(durable), cancellationToken);
        if (view is null) return OpsPages.Refuse(request, 404, "No such ticket", $"ticket {ticketId} not found", now);
        return HtmlPage.Render(request.HttpContext.Response, 200, $"autotier ops: {ticketId}", OpsTicketPage.Body(view, caller!, OpsForms.Token(ticketId, caller!, links().SigningKey, now)), OpsPages.Style);
    }
}
