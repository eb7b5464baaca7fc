// TEMPORARY until the delivery and playbooks branches merge (they bring the real INotifier and IPlaybooks).
using Autotier.Application.Playbooks;
using Autotier.Application.Ports;

namespace Autotier.Functions.Composition;

internal sealed class PendingNotifier : INotifier
{
    public Task NotifyAsync(AlertFacts alert, CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class PendingPlaybooks : IPlaybooks
{
    public Task<PlaybookRun> RunAsync(PlaybookRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<PlaybookRun>(new PlaybookRun.Stopped("playbooks are not ported yet", null));
}
