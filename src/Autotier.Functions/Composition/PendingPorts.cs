// TEMPORARY until the delivery branch merges (it brings the real INotifier).
using Autotier.Application.Ports;

namespace Autotier.Functions.Composition;

internal sealed class PendingNotifier : INotifier
{
    public Task NotifyAsync(AlertFacts alert, CancellationToken cancellationToken) => Task.CompletedTask;
}
