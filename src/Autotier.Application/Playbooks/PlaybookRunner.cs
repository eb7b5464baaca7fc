using Autotier.Application.Kb;
using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Playbooks;
using PlaybookIds = Autotier.Domain.Classification.Playbooks;

namespace Autotier.Application.Playbooks;

/// <summary>
/// Runs the ticket's playbook: the one its classification names (category, and for peripherals the
/// device), with the client's directory, knowledge base and audit log. Graph failures end in a stop
/// with the reason; anything else (storage, a bug) is thrown for the activity's retry.
/// </summary>
/// <param name="actor">The identity that acts, for the audit log (<c>autotier</c>; the app id is added per client).</param>
public sealed class PlaybookRunner(
    IDirectories directories, KnowledgeBase kb, IActionLog log, IEmailSender mail, string actor = "autotier") : IPlaybooks
{
    public async Task<PlaybookRun> RunAsync(PlaybookRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var classification = request.Ticket.Classification;
        var category = classification?.Category ?? Categories.Engineering;
        var playbook = classification?.Playbook ?? PlaybookIds.For(category, classification?.Device);
        var contract = Contract(category, playbook);
        if (contract is null || playbook is null) return new PlaybookStopped("no documented playbook for this request", null);

        IDirectory? directory;
        try
        {
            directory = directories.ForClient(request.Client);
        }
        catch (DirectoryException e)
        {
            // A connection that cannot work is a setup problem for a person, not a reason to retry.
            return new PlaybookStopped(e.Message, null)
            {
                Record = new PlaybookRecord(contract.Name, [], []) { StoppedBecause = e.Message },
            };
        }
        var ctx = new PlaybookContext(request, contract, directory, kb, log, mail, actor, ct);
        return category switch
        {
            Categories.PasswordReset => await PasswordResetPlaybook.RunAsync(ctx).ConfigureAwait(false),
            Categories.SoftwareAccess => await SoftwareAccessPlaybook.RunAsync(ctx).ConfigureAwait(false),
            Categories.VpnRemoteAccess => await GuidePlaybooks.VpnAsync(ctx).ConfigureAwait(false),
            Categories.SoftwareError => await GuidePlaybooks.KnownErrorAsync(ctx, kb).ConfigureAwait(false),
            _ when GuidePlaybooks.IsPrinter(playbook) => await GuidePlaybooks.PrinterAsync(ctx).ConfigureAwait(false),
            _ => await GuidePlaybooks.DeviceAsync(ctx, playbook, classification?.Device).ConfigureAwait(false),
        };
    }

    private static PlaybookContract? Contract(string category, string? playbook) => category switch
    {
        Categories.PasswordReset => PlaybookContracts.PasswordReset,
        Categories.SoftwareAccess => PlaybookContracts.SoftwareAccess,
        Categories.VpnRemoteAccess => PlaybookContracts.VpnRemoteAccess,
        Categories.SoftwareError => PlaybookContracts.SoftwareError,
        Categories.PrinterPeripheral => playbook == PlaybookIds.PrinterGuide ? PlaybookContracts.PrinterPeripheral : PlaybookContracts.Peripheral,
        _ => null,
    };
}
