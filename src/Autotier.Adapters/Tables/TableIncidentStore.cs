using System.Text.Json;
using Autotier.Application.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Lifecycle;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Tables;

/// <summary>Incidents, partitioned by client (<c>&lt;clientId&gt; / &lt;incidentId&gt;</c>), with <c>Closed</c> as a column so open ones are one query.</summary>
public sealed class TableIncidentStore(TableClient table) : IIncidentStore
{
    private const int MaxAttempts = 20;

    public async Task<IReadOnlyList<Incident>> OpenAsync(string clientId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(clientId)} and Closed eq false");
        var open = new List<Incident>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) open.Add(Read(row));
        return open;
    }

    public async Task<IReadOnlyList<Incident>> OpenedAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        // A client has a handful of incidents a year (outages and security incidents only), so one
        // partition read filtered here costs less than a second, time-keyed row per incident.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(clientId)}");
        var opened = new List<Incident>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var incident = Read(row);
            if (incident.OpenedAt >= since && incident.OpenedAt < until) opened.Add(incident);
        }
        return [.. opened.OrderBy(i => i.OpenedAt)];
    }

    public async Task<Incident?> GetAsync(string clientId, string incidentId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(clientId), TableKeys.Escape(incidentId), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? Read(entity) : null;
    }

    public async Task<bool> TryCreateAsync(Incident incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        try
        {
            await table.AddEntityAsync(ToEntity(incident), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<Incident?> UpdateAsync(string clientId, string incidentId, Func<Incident, Incident?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(clientId), TableKeys.Escape(incidentId), cancellationToken: cancellationToken);
            if (!row.HasValue || row.Value is null) return null;
            var current = Read(row.Value);
            var updated = change(current);
            if (updated is null) return current;
            try
            {
                await table.UpdateEntityAsync(ToEntity(updated), row.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return updated;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                // Another ticket joined meanwhile: apply the change to what it stored.
            }
        }
    }

    private static Incident Read(TableEntity row) => JsonSerializer.Deserialize<Incident>(JsonColumns.Read(row), AutotierJson.Options)!;

    private static TableEntity ToEntity(Incident incident)
    {
        var entity = new TableEntity(TableKeys.Escape(incident.ClientId), TableKeys.Escape(incident.IncidentId)) { ["Closed"] = incident.Closed };
        JsonColumns.Write(entity, JsonSerializer.Serialize(incident, AutotierJson.Options));
        return entity;
    }
}
