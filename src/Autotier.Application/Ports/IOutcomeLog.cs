using Autotier.Domain.Metrics;

namespace Autotier.Application.Ports;

/// <summary>
/// What happened to each ticket, kept so that metrics read bounded ranges: every outcome event once
/// per (ticket, step), folded into the ticket's summary as it arrives; the alerts and pages that
/// reached a person, in time order; and the portal's self-service deflections, apart from tickets.
/// </summary>
public interface IOutcomeLog
{
    /// <summary>
    /// Records events of one ticket, each once per (ticket, step), and folds them into the ticket's
    /// summary atomically with their own rows. Returns the events that were new (a retry's repeats
    /// left out), so what follows them happens once too.
    /// </summary>
    Task<IReadOnlyList<OutcomeEvent>> RecordAsync(IReadOnlyList<OutcomeEvent> events, CancellationToken cancellationToken);

    /// <summary>Records an alert or page that reached a person, once per (ticket, notification key).</summary>
    Task RecordInterruptionAsync(Interruption interruption, CancellationToken cancellationToken);

    /// <summary>Records a requester who found the answer on the portal before filing, once per key.</summary>
    Task RecordSelfServiceDeflectionAsync(SelfServiceDeflection deflection, CancellationToken cancellationToken);

    /// <summary>The summaries of the client's tickets received in [since, until).</summary>
    Task<IReadOnlyList<TicketOutcomes>> SummariesAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>The client's interruptions in [since, until).</summary>
    Task<IReadOnlyList<Interruption>> InterruptionsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>How many self-service deflections the client's portal had in [since, until).</summary>
    Task<int> SelfServiceDeflectionsAsync(string clientId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>One ticket's outcome events, in the order they happened.</summary>
    Task<IReadOnlyList<OutcomeEvent>> EventsAsync(string clientId, string ticketId, CancellationToken cancellationToken);
}
