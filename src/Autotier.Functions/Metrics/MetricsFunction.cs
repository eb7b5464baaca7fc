using Autotier.Application.Metrics;
using Autotier.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Autotier.Functions.Metrics;

/// <summary><c>GET /api/metrics?clientId=&amp;from=&amp;to=</c>: a client's outcome metrics for tickets received in [from, to) (default: the last 30 days).</summary>
public sealed class MetricsFunction(ClientMetricsQuery query)
{
    [Function("metrics")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "metrics")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await query.RunAsync(request.Query["clientId"], Optional(request, "from"), Optional(request, "to"), cancellationToken);
        if (result is MetricsResult.Refused refused) return HttpJson.Error(refused.Status, refused.Error);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new ContentResult
        {
            StatusCode = 200,
            ContentType = "application/json; charset=utf-8",
            Content = ((MetricsResult.Ok)result).Metrics.ToJsonString(),
        };
    }

    private static string? Optional(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var value) ? value.ToString() : null;
}
