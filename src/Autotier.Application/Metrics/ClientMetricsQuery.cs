using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Metrics;

namespace Autotier.Application.Metrics;

/// <summary>The metrics of one client, as JSON (TypeScript ClientMetrics, with <c>llm</c> when the assistant is configured), or why not.</summary>
public abstract record MetricsResult
{
    private MetricsResult() { }

    /// <param name="Metrics">What <c>GET /api/metrics</c> and <c>autotier report --format json</c> write, byte for byte.</param>
    public sealed record Ok(JsonObject Metrics) : MetricsResult
    {
        /// <summary>The same figures, typed, for the CSV and HTML report.</summary>
        public ClientMetrics? Figures { get; init; }

        /// <summary>The client's profile (its name, branding and contacts head the report).</summary>
        public ClientProfile? Client { get; init; }

        /// <summary>The major incidents opened in the range, oldest first (also <c>majorIncidents</c> in <see cref="Metrics"/>).</summary>
        public IReadOnlyList<MajorIncident> Incidents { get; init; } = [];
    }

    public sealed record Refused(int Status, string Error) : MetricsResult;
}

/// <summary>
/// An incident as the metrics list it: one outage or security incident many tickets joined, led by
/// one ticket whose engineer acted for all (<see cref="Incident"/>).
/// </summary>
/// <param name="Kind"><c>outage</c>, or <c>security:&lt;kind&gt;</c>.</param>
/// <param name="Tickets">How many tickets joined it, the lead included.</param>
public sealed record MajorIncident(
    string IncidentId,
    string Kind,
    string LeadTicketId,
    [property: JsonConverter(typeof(IsoInstantJsonConverter))] DateTimeOffset OpenedAt,
    [property: JsonConverter(typeof(IsoInstantJsonConverter))] DateTimeOffset LastJoinedAt,
    int Tickets,
    IReadOnlyList<string> TicketIds,
    bool Closed)
{
    public static MajorIncident Of(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return new(incident.IncidentId, incident.Kind, incident.LeadTicketId, incident.OpenedAt, incident.LastJoinedAt,
            incident.Members.Count, incident.Members, incident.Closed);
    }
}

/// <summary>
/// A client's metrics for a range (<c>GET /api/metrics</c> and <c>autotier report</c>): three bounded reads
/// of the outcome log (the tickets received in the range, the interruptions in it, the portal's
/// self-service deflections) and the math in the domain (<see cref="MetricsCalculator"/>). Nothing
/// scans tickets or replays events (TypeScript reporting/clientMetrics.ts).
/// </summary>
/// <remarks>
/// Beyond the TypeScript figures it lists the range's major incidents (<c>majorIncidents</c>, issue
/// #34 fix 4), so the API, the CLI and the report say the same; without an incident store (a caller
/// that has none) the list is empty.
/// </remarks>
public sealed class ClientMetricsQuery(IClientStore clients, IOutcomeLog outcomes, IAssistant assistant, IAssistantUsage usage, TimeProvider time, IIncidentStore? incidents = null)
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
        var opened = incidents is null ? Task.FromResult<IReadOnlyList<Incident>>([]) : incidents.OpenedAsync(id, since, until, cancellationToken);
        var metrics = MetricsCalculator.Compute(new MetricsInput(
            id, since, until, now, client.BusinessHours, await summaries, await interruptions, await deflections));
        var json = (JsonObject)JsonSerializer.SerializeToNode(metrics, AutotierJson.Options)!;
        var major = (await opened).Select(MajorIncident.Of).ToList();
        json["majorIncidents"] = JsonSerializer.SerializeToNode(major, AutotierJson.Options);
        if (assistant.IsConfigured)
            json["llm"] = JsonSerializer.SerializeToNode(await usage.TotalsAsync(id, since, until, cancellationToken), AutotierJson.Options);
        return new MetricsResult.Ok(json) { Figures = metrics, Client = client, Incidents = major };
    }
}
