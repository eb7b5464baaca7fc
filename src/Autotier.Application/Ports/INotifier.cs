using Autotier.Domain.Alerts;

namespace Autotier.Application.Ports;

/// <summary>Tells the engineers of a tier, or on call, that something needs them.</summary>
public interface INotifier
{
    /// <summary>
    /// Queues the alert on its audience's queue (<see cref="Audiences.Of"/>), where the deliverAlert
    /// functions pick it up. The same (ticket, key) twice queues it once: activities run at least once.
    /// </summary>
    Task NotifyAsync(AlertFacts alert, CancellationToken cancellationToken);
}
