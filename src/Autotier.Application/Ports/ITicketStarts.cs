namespace Autotier.Application.Ports;

/// <summary>
/// Starts that could not be made at once, queued for the <c>startTicket</c> function (which has a
/// Durable client and retries with the queue's own semantics).
/// </summary>
public interface ITicketStarts
{
    Task EnqueueAsync(StartTicketMessage message, CancellationToken cancellationToken);
}

/// <summary>A ticket whose workflow must be started; <c>AcknowledgedAt</c> when its acknowledgement already went out.</summary>
public sealed record StartTicketMessage(string TicketId, string ClientId, DateTimeOffset? AcknowledgedAt = null);
