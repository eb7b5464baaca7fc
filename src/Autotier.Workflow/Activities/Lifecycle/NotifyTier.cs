using Autotier.Application.Ports;

namespace Autotier.Workflow.Activities.Lifecycle;

/// <summary>
/// Tells the engineers of a tier, or whoever is on call, that a ticket needs them. The alert goes
/// to that audience's queue; delivery (Teams, mail, digests) runs off the workflow's path, so a
/// failing channel never holds a ticket up. Keyed per (ticket, occasion): a second run queues nothing new.
/// </summary>
public sealed class NotifyTier(INotifier notifier, TicketKit kit)
{
    public async Task RunAsync(AlertInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ticket = await kit.LoadAsync(input.TicketId, cancellationToken);
        await notifier.NotifyAsync(await kit.AlertAsync(ticket, input.Key, input.Kind, input.Tier, input.Message, input.At, input.Audience, cancellationToken), cancellationToken);
    }
}
