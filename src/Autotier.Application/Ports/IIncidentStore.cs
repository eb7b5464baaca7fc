using Autotier.Domain.Lifecycle;

namespace Autotier.Application.Ports;

/// <summary>Incidents per client (Table Storage: <c>&lt;prefix&gt;Incidents</c>).</summary>
public interface IIncidentStore
{
    Task<IReadOnlyList<Incident>> OpenAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>The client's incidents opened in [since, until), open or closed, oldest first (the report lists them).</summary>
    Task<IReadOnlyList<Incident>> OpenedAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    Task<Incident?> GetAsync(string clientId, string incidentId, CancellationToken cancellationToken);

    /// <summary>Stores a new incident; false when one with its id exists (a second run of the same step).</summary>
    Task<bool> TryCreateAsync(Incident incident, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a stored incident: <paramref name="change"/> gets the stored one and returns the new
    /// one, or null to leave it; run again on a fresh read when another writer got there first.
    /// </summary>
    Task<Incident?> UpdateAsync(string clientId, string incidentId, Func<Incident, Incident?> change, CancellationToken cancellationToken);
}
