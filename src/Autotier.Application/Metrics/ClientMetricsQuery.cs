using System.Text.Json;
using System.Text.Json.Nodes;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Metrics;

namespace Autotier.Application.Metrics;

/// <summary>The metrics of one client, as JSON (TypeScript ClientMetrics, with <c>llm</c> when the assistant is configured), or why not.</summary>
public abstract record MetricsResult
{
    private MetricsResult() { }

    public sealed record Ok(JsonObject Metrics) : MetricsResult;

    public sealed record Refused(int Status, string Error) : MetricsResult;
}

/// <summary>
/// A client's metrics for a range (<c>GET /api/metrics</c>, later the report): three bounded reads
/// of the outcome log (the tickets received in the range, the interruptions in it, the portal's
/// self-service deflections) and the math in the domain (<see cref="MetricsCalculator"/>). Nothing
/// scans tickets or replays events (TypeScript reporting/clientMetrics.ts).
/// </summary>
public sealed class ClientMetricsQuery(IClientStore clients, IOutcomeLog outcomes, IAssistant assistant, IAssistantUsage usage, TimeProvider time)
{
    public async Task<MetricsResult> RunAsync(string? clientId, string? from, string? to, CancellationToken cancellationToken)
    {
        var id = clientId?.Trim() ?? "";
        if (id.Length == 0) return new MetricsResult.Refused(400, "clientId: required");
        if (id.Length > 100 || id.Any(char.IsControl)) return new MetricsResult.Refused(400, "clientId: must be a client id, e.g. demo");
        var now = time.GetUtcNow();
        var range = MetricsRange.Parse(from, to, now);
        if (!range.Ok) return new MetricsResult.Refused(400, range.Error!);
        var client = await clients.GetAsync(id, cancellationToken);
        if (client is null) return new MetricsResult.Refused(404, $"clientId: no client \"{id}\"");
        var (since, until) = (range.Value!.From, range.Value.To);
        var summaries = outcomes.SummariesAsync(id, since, until, cancellationToken);
        var interruptions = outcomes.InterruptionsAsync(id, since, until, cancellationToken);
        var deflections = outcomes.SelfServiceDeflectionsAsync(id, since, until, cancellationToken);
        var metrics = MetricsCalculator.Compute(new MetricsInput(
            id, since, until, now, client.BusinessHours, await summaries, await interruptions, await deflections));
        var json = (JsonObject)JsonSerializer.SerializeToNode(metrics, AutotierJson.Options)!;
        if (assistant.IsConfigured)
            json["llm"] = JsonSerializer.SerializeToNode(await usage.TotalsAsync(id, since, until, cancellationToken), AutotierJson.Options);
        return new MetricsResult.Ok(json);
    }
}
