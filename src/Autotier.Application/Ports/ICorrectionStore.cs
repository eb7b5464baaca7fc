namespace Autotier.Application.Ports;

/// <summary>
/// Engineers' corrections per client: the labelled examples a client's model retrains on, and the
/// misroutes the metrics count. Each row carries the ticket's masked subject and body, so training
/// needs nothing else.
/// </summary>
public interface ICorrectionStore
{
    /// <summary>Stores one correction; the same (ticket, sequence) twice is stored once.</summary>
    Task RecordAsync(CorrectionRecord correction, CancellationToken cancellationToken);

    /// <summary>A client's corrections, oldest first.</summary>
    Task<IReadOnlyList<CorrectionRecord>> ListAsync(string clientId, CancellationToken cancellationToken);
}

/// <param name="Sequence">1 for a ticket's first correction, 2 for its second, ...</param>
public sealed record CorrectionRecord(
    string ClientId,
    string TicketId,
    int Sequence,
    DateTimeOffset At,
    string By,
    string Subject,
    string Body,
    string FromCategory,
    string ToCategory,
    string FromPriority,
    string ToPriority)
{
    public bool Misroute => !string.Equals(FromCategory, ToCategory, StringComparison.Ordinal);
}
