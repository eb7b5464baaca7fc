using Autotier.Domain.Alerts;

namespace Autotier.Application.Ports;

/// <summary>What became of an alert when its audience's queue delivered it.</summary>
public enum AlertOutcome
{
    /// <summary>Posted on its own on each channel.</summary>
    Alone,

    /// <summary>Gathered into the audience's digest.</summary>
    Gathered,

    /// <summary>Its ticket was resolved or closed by then: an alert about it would send someone to a finished ticket.</summary>
    Dropped,

    /// <summary>AUTOTIER_NOTIFY names no channel for the audience.</summary>
    NoChannel,
}

/// <summary>
/// The delivery records: what became of each alert, which channels it went out on, and which failed.
/// A redelivered queue message reads them and neither posts a card twice nor counts twice.
/// </summary>
public interface IAlertDeliveryLog
{
    Task<AlertOutcome?> OutcomeOfAsync(string ticketId, string key, CancellationToken cancellationToken);

    Task RecordOutcomeAsync(AlertFacts alert, Audience audience, AlertOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken);

    Task<bool> DeliveredAsync(string ticketId, string key, AlertChannel channel, CancellationToken cancellationToken);

    Task RecordDeliveredAsync(string ticketId, string key, AlertChannel channel, Audience audience, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// One record per alert and channel, replaced by each failed try: the latest error and how many
    /// tries failed, which it returns (the log counts them: not every host tells a function its
    /// message's dequeue count).
    /// </summary>
    Task<int> RecordFailedAsync(AlertDeliveryFailure failure, CancellationToken cancellationToken);

    /// <summary>The alerts of a ticket and what became of them, for the ops page.</summary>
    Task<IReadOnlyList<AlertDeliveryRecord>> ForTicketAsync(string ticketId, CancellationToken cancellationToken);
}

/// <param name="Error">What went wrong, without the webhook URL or any secret.</param>
public sealed record AlertDeliveryFailure(string TicketId, string Key, AlertChannel Channel, Audience Audience, string Kind, string Error, DateTimeOffset At);

/// <summary>One delivery record: an outcome (<see cref="Channel"/> null), a channel delivered, or a channel failing.</summary>
public sealed record AlertDeliveryRecord(string TicketId, string Key, AlertChannel? Channel, string Status, DateTimeOffset At)
{
    public string? Error { get; init; }

    /// <summary>How many tries of the channel failed.</summary>
    public int? Failures { get; init; }
}

/// <summary>Each audience's digest state, one row each, changed under an ETag.</summary>
public interface IAlertDigestStore
{
    /// <summary>
    /// Applies <paramref name="change"/> to the audience's stored state and stores the result, again on a
    /// fresh read when another instance wrote first (so the change must be a pure function of the state).
    /// </summary>
    Task<T> UpdateAsync<T>(Audience audience, Func<AlertDigestState, (AlertDigestState State, T Result)> change, CancellationToken cancellationToken);
}
