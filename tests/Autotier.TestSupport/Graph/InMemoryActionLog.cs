using System.Collections.Concurrent;
using Autotier.Application.Ports;

namespace Autotier.TestSupport.Graph;

/// <summary>The audit log in memory, same contract as <c>TableActionLog</c> (keyed by client, ticket and step).</summary>
public sealed class InMemoryActionLog : IActionLog
{
    private readonly ConcurrentDictionary<(string, string, string), ActionRecord> records = new();

    public IReadOnlyCollection<ActionRecord> All => [.. records.Values];

    public Task RecordAsync(ActionRecord entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        records[(entry.ClientId, entry.TicketId, entry.Step)] = entry;
        return Task.CompletedTask;
    }

    public Task<ActionRecord?> GetAsync(string clientId, string ticketId, string stepName, CancellationToken cancellationToken) =>
        Task.FromResult(records.GetValueOrDefault((clientId, ticketId, stepName)));

    public Task<IReadOnlyList<ActionRecord>> ForClientAsync(string clientId, DateTimeOffset? since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ActionRecord>>([.. records.Values
            .Where(r => r.ClientId == clientId && (since is null || string.CompareOrdinal(r.At, Application.Tickets.IsoTime.Format(since.Value)) >= 0))
            .OrderBy(r => r.At, StringComparer.Ordinal)]);
}
