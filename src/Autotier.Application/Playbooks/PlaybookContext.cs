using Autotier.Application.Kb;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Domain.Classification;
using Autotier.Domain.Kb;
using Autotier.Domain.Playbooks;
using Autotier.Domain.Text;

namespace Autotier.Application.Playbooks;

/// <summary>
/// One run's state and the ports it may use: playbooks act only through these. Findings gather
/// what was checked, for the engineer if the run stops.
/// </summary>
internal sealed class PlaybookContext(
    PlaybookRequest request, PlaybookContract contract, IDirectory? directory, KnowledgeBase kb, IActionLog log,
    IEmailSender mail, string actor, CancellationToken cancellationToken)
{
    public const string GraphTrouble =
        "We couldn't finish this automatically just now, so one of our engineers will take it from here.";

    public PlaybookRequest Request => request;
    public PlaybookContract Contract => contract;
    public IDirectory? Directory => directory;
    public IActionLog Log => log;
    public IEmailSender Mail => mail;
    public CancellationToken Ct => cancellationToken;
    public List<string> Findings { get; } = [];
    public string Text { get; } = PlaybookRules.TicketText(request.Ticket.Subject, request.Ticket.Body);
    public string ClientId => request.Client.ClientId;
    public string TicketId => request.Ticket.TicketId;

    public PlaybookGuide Guided(Guide guide, params PlaybookAction[] actions) =>
        new(guide) { Record = new PlaybookRecord(contract.Name, [.. Findings], actions) };

    public PlaybookStopped Stop(string reason, string? told) =>
        new(reason, told) { Record = new PlaybookRecord(contract.Name, [.. Findings], []) { StoppedBecause = reason } };

    public PlaybookNeedsProof NeedProof(string why) =>
        new(why) { Record = new PlaybookRecord(contract.Name, [.. Findings], []) };

    /// <summary>The client's best knowledge-base article for the ticket, else the built-in guide.</summary>
    public async Task<Guide?> BestGuideAsync(string category, string? site = null)
    {
        var article = await kb.BestArticleAsync(request.Client, category, Text, site, cancellationToken).ConfigureAwait(false);
        return article is not null ? Guide.FromArticle(article) : BuiltInGuides.For(category, request.Client, site);
    }

    /// <summary>
    /// The client's best peripheral article about <paramref name="device"/> (what its title and tags
    /// name), so an article about one device never answers a ticket about another.
    /// </summary>
    public async Task<KbArticle?> DeviceArticleAsync(string device, string? site)
    {
        var index = await kb.ForClientAsync(ClientId, cancellationToken).ConfigureAwait(false);
        var candidates = KbRanking.Candidates(index.Articles, Categories.PrinterPeripheral, request.Client, site)
            .Where(a => ArticleDevice(a) is not { } d ? device == Devices.Printer : d == device)
            .ToList();
        return candidates.Count == 0 ? null : KbRanking.Best(candidates, index.Relevance(Text), ClientId);
    }

    // A peripheral article names its device in the title or tags; one that names none is a printer's
    // (the category's articles were all printer guides before devices were told apart).
    private static string? ArticleDevice(KbArticle a) =>
        Devices.Find(TextRules.FoldText(a.Title + " " + string.Join(' ', a.Tags)));

    /// <summary>The identity that acts, for the audit log: Entra ID's own log names the app registration, so this does too.</summary>
    public string Actor => request.Client.Directory?.AppId is { Length: > 0 } app ? $"{actor} (app {app})" : actor;

    /// <summary>
    /// Runs one action on a user or licence and writes the audit record: done, or failed with what
    /// Graph answered. Keyed by ticket and step, so a retried activity rewrites it.
    /// </summary>
    public async Task<T> AuditedAsync<T>(string step, PlaybookAction action, string reason, Func<Task<T>> act)
    {
        ArgumentNullException.ThrowIfNull(act);
        T result;
        try
        {
            result = await act().ConfigureAwait(false);
        }
        catch (DirectoryException e)
        {
            await RecordAsync(step, action, reason, ActionRecord.Failed, $"{action.Detail}; {e.Message}").ConfigureAwait(false);
            throw;
        }
        await RecordAsync(step, action, reason, ActionRecord.Done, action.Detail).ConfigureAwait(false);
        return result;
    }

    /// <summary>Whether an earlier run of this step finished its action (the audit record says done).</summary>
    public async Task<bool> DoneAsync(string step) =>
        (await log.GetAsync(ClientId, TicketId, step, cancellationToken).ConfigureAwait(false))?.Outcome == ActionRecord.Done;

    private Task RecordAsync(string step, PlaybookAction action, string reason, string outcome, string detail) =>
        log.RecordAsync(new ActionRecord(
            ClientId, TicketId, step, IsoTime.Format(request.At), Actor, request.Ticket.Requester.Email,
            action.Action, action.Target, detail, reason, outcome), cancellationToken);

    /// <summary>
    /// The requester's own account: exactly one enabled user whose address is the ticket's sender.
    /// Returns the stop when there is none, or it is disabled.
    /// </summary>
    public async Task<(DirectoryUser? User, PlaybookStopped? Stopped)> IdentifyAsync(IDirectory dir)
    {
        var user = await dir.FindUserAsync(request.Ticket.Requester.Email, cancellationToken).ConfigureAwait(false);
        if (user is null)
            return (null, Stop(
                "the requester's address matches no single user in the client's directory, so their identity is not confirmed",
                "We couldn't match your email address to a work account, so one of our engineers will check who you are and help you."));
        Findings.Add($"Directory user {user.UserPrincipalName} ({user.Id}) matches the requester's address.");
        if (!user.AccountEnabled)
        {
            Findings.Add("The account is disabled.");
            return (null, Stop(
                $"the account {user.UserPrincipalName} is disabled in Entra ID, which may be deliberate (a leaver or a block)",
                "Your account is switched off at the moment, so one of our engineers will check with your organisation."));
        }
        return (user, null);
    }

    /// <summary>Whether the requester is proven to own the address (issue #32, fix 9).</summary>
    public bool Proven => request.Proof != RequesterProof.None;
}
