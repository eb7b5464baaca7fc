using Autotier.Application.Ports;
using Autotier.Domain.Metrics;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Metrics;

/// <summary>
/// The outcome log, with each newly recorded event also written as one log line
/// (<c>autotier.outcome &lt;kind&gt; client=... ticket=... priority=... tier=... by=...</c>). The table
/// stays the record (<c>GET /api/metrics</c> reads it); the line is what reaches Application
/// Insights (the Functions host forwards the worker's logs as traces) and so the MSP's one Log
/// Analytics workspace, where infra/fleet.bicep's workbook and alert rules see every client at once.
/// Only ids and words go out: no requester, subject or comment (PII stays in the client's storage).
/// A retry's repeats are not logged again: <see cref="IOutcomeLog.RecordAsync"/> returns only new events.
/// </summary>
public sealed partial class LoggedOutcomeLog(IOutcomeLog inner, ILogger<LoggedOutcomeLog> logger) : IOutcomeLog
{
    /// <summary>What a value the event does not carry is written as, so the line keeps its shape for KQL's <c>parse</c>.</summary>
    public const string None = "-";

    public async Task<IReadOnlyList<OutcomeEvent>> RecordAsync(IReadOnlyList<OutcomeEvent> events, CancellationToken cancellationToken)
    {
        var recorded = await inner.RecordAsync(events, cancellationToken);
        if (!logger.IsEnabled(LogLevel.Information)) return recorded;
        foreach (var e in recorded)
        {
            var (priority, tier, by) = (Word(e.Priority), e.Tier is { } t ? t.ToString(System.Globalization.CultureInfo.InvariantCulture) : None, Word(e.By));
            LogOutcome(logger, e.Kind, e.ClientId, e.TicketId, priority, tier, by);
        }
        return recorded;
    }

    public Task RecordInterruptionAsync(Interruption interruption, CancellationToken cancellationToken) => inner.RecordInterruptionAsync(interruption, cancellationToken);

    public Task RecordSelfServiceDeflectionAsync(SelfServiceDeflection deflection, CancellationToken cancellationToken) => inner.RecordSelfServiceDeflectionAsync(deflection, cancellationToken);

    public Task<IReadOnlyList<TicketOutcomes>> SummariesAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        inner.SummariesAsync(clientId, since, until, cancellationToken);

    public Task<IReadOnlyList<Interruption>> InterruptionsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        inner.InterruptionsAsync(clientId, since, until, cancellationToken);

    public Task<int> SelfServiceDeflectionsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        inner.SelfServiceDeflectionsAsync(clientId, since, until, cancellationToken);

    public Task<IReadOnlyList<OutcomeEvent>> EventsAsync(string clientId, string ticketId, CancellationToken cancellationToken) =>
        inner.EventsAsync(clientId, ticketId, cancellationToken);

    /// <summary>One word (a space would shift KQL's <c>parse</c>), or <see cref="None"/>.</summary>
    private static string Word(string? value) => string.IsNullOrWhiteSpace(value) ? None : value.Trim().Replace(' ', '_');

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "autotier.outcome {Kind} client={ClientId} ticket={TicketId} priority={Priority} tier={Tier} by={By}")]
    private static partial void LogOutcome(ILogger logger, string kind, string clientId, string ticketId, string priority, string tier, string by);
}
