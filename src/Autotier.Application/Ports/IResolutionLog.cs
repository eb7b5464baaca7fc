using Autotier.Domain.Resolutions;

namespace Autotier.Application.Ports;

/// <summary>
/// What happened to each ticket (Table Storage: <c>&lt;prefix&gt;Resolutions</c>). The part the
/// knowledge base needs; the similar-tickets read (<c>recentSolved</c>) and <c>markReopened</c>
/// come with the escalation port.
/// </summary>
public interface IResolutionLog
{
    /// <summary>One record per (client, ticket, outcome): recording the same outcome again replaces it.</summary>
    Task RecordAsync(ResolutionRecord record, CancellationToken cancellationToken);

    /// <summary>Every record of a client: reports and the CLI, never the ticket path.</summary>
    Task<IReadOnlyList<ResolutionRecord>> ForClientAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>
    /// The client's newest solved records, newest first, at most <paramref name="max"/>: one bounded
    /// read per escalation for similar-ticket search, however long the client's history grows.
    /// </summary>
    Task<IReadOnlyList<ResolutionRecord>> RecentSolvedAsync(string clientId, int max, CancellationToken cancellationToken);
}
