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
public sealed class OpsFunctions(OpsListing listing, OpsTicketQuery tickets, Application.Webhooks.ReviewItems review, Application.Metrics.ClientMetricsQuery metrics, OpsAccessSettings access, Func<Application.Lifecycle.LinkSettings> links, TimeProvider time)
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
        switch (await listing.ListAsync(filters, new DurableWorkflowMonitor(durable), cancellationToken))
        {
            case OpsListResult.Listed listed:
                // The outcomes come from the query GET /api/metrics and autotier report run, never a second calculation.
                var outcomes = OpsListPage.OutcomesClient(listed.List, filters) is { } client
                    ? await metrics.RunAsync(client, Iso(now.AddDays(-filters.Days)), Iso(now), cancellationToken)
                    : null;
                return HtmlPage.Render(request.HttpContext.Response, 200, "autotier ops: tickets",
                    OpsListPage.Body(listed.List, filters, caller!, (await review.ListAsync(cancellationToken)).Count, outcomes), OpsPages.ListStyle);
            case OpsListResult.UnknownClient unknown:
                return OpsPages.Refuse(request, 404, "No such client", unknown.Error, now);
            default:
                throw new InvalidOperationException("unknown list result");
        }
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

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
