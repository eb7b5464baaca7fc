using Autotier.Application.Ports;
using Autotier.Domain.Alerts;
using Autotier.Domain.Metrics;

namespace Autotier.Application.Metrics;

/// <summary>
/// The notifier path as the metrics see it (TypeScript countInterruptions): every ticket alert or
/// page that went to a person's channels is an engineer interruption, recorded once per
/// notification key after it was handed on. Operator alerts (poison queues, stuck workflows) are
/// not about a client's ticket and are left out.
/// </summary>
public sealed class InterruptionCounter(INotifier inner, IOutcomeLog outcomes) : INotifier
{
    public async Task NotifyAsync(AlertFacts alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await inner.NotifyAsync(alert, cancellationToken);
        if (!alert.IsAboutTicket || !Interruption.Kinds.Contains(alert.Kind)) return;
        await outcomes.RecordInterruptionAsync(
            new Interruption(alert.ClientId, alert.TicketId, alert.Key, alert.At, alert.Kind, alert.Tier) { Audience = alert.Audience?.WireName() },
            cancellationToken);
    }
}
