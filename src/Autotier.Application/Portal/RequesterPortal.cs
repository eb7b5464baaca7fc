using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Autotier.Application.Kb;
using Autotier.Application.Lifecycle;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Domain.Clients;
using Autotier.Domain.Intake;
using Autotier.Domain.Kb;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Links;
using Autotier.Domain.Metrics;
using Autotier.Domain.Portal;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Portal;

/// <summary>
/// The requester portal's use cases (TypeScript src/portal/): the form's visit token, live article
/// suggestions, "this solved it", filing through the ticket intake every channel uses, and the
/// status page's view, answer and reply. HTTP, pages and who the caller is stay in the functions.
/// </summary>
public sealed partial class RequesterPortal(
    IClientStore clients,
    ITicketStore tickets,
    TicketIntake intake,
    TicketEventIntake events,
    KnowledgeBase kb,
    IOutcomeLog outcomes,
    PortalRateLimits limits,
    Mail.IMailStore files,
    Func<LinkSettings> links,
    TimeProvider time,
    ILogger<RequesterPortal> logger)
{
    public const int MaxQueryChars = 500;
    public const int MaxSuggestions = 3;
    public const int MaxReplyChars = 4000;
    public const int MaxAttachmentBytes = 10 * 1024 * 1024;

    private const string NoSuchRequest = "There is no request at this address.";

    /// <summary>Too little to search on: a word or two of a subject still being typed.</summary>
    private const int MinQueryChars = 3;

    /// <summary>The client a portal route names, or null (a malformed id is not looked up).</summary>
    public async Task<ClientProfile?> ClientAsync(string? clientId, CancellationToken cancellationToken) =>
        clientId is { Length: > 0 and <= 63 } && clientId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && clientId[0] != '-'
            ? await clients.GetAsync(clientId, cancellationToken)
            : null;

    /// <summary>A token for one visit to the form: it keys the submission and "this solved it".</summary>
    public string NewVisit(string clientId) =>
        PortalTokens.SignForm(clientId, Guid.NewGuid().ToString(), time.GetUtcNow(), links().SigningKey);

    /// <summary>The visit a form token names, when it is this client's and fresh; otherwise why not.</summary>
    public (string? Visit, LinkTokenProblem Problem) Visit(string clientId, string? formToken) =>
        PortalTokens.VerifyForm(formToken, clientId, links().SigningKey, time.GetUtcNow());

    /// <summary>
    /// The client's own articles (and the MSP's general ones) that match what the requester has typed
    /// so far, best first, at most three, by the knowledge base's Lucene BM25 with prefix and typo
    /// tolerance (<see cref="KbIndex.Relevance"/>, the ranking the playbooks use); scores relative to
    /// the best match (1), and matches under a quarter of it left out, as the TypeScript portal.
    /// </summary>
    public async Task<IReadOnlyList<Suggestion>> SuggestAsync(ClientProfile client, string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var q = (query ?? "").Trim();
        if (q.Length > MaxQueryChars) q = q[..MaxQueryChars];
        if (q.Length < MinQueryChars) return [];
        var index = await kb.ForClientAsync(client.ClientId, cancellationToken);
        var relevance = index.Relevance(q);
        var hits = Mine(index.Articles, client.ClientId)
            .Where(a => relevance.ContainsKey(a.Key))
            .Select(a => (Article: a, Score: relevance[a.Key]))
            .OrderByDescending(h => h.Score)
            .ToList();
        if (hits.Count == 0) return [];
        var top = hits[0].Score;
        return [.. hits.Where(h => h.Score >= top * 0.25).Take(MaxSuggestions)
            .Select(h => new Suggestion(h.Article.ArticleId, h.Article.Title, Math.Round(h.Score / top, 2)))];
    }

    /// <summary>One of the client's articles (its own before a general one of the same id), or null.</summary>
    public async Task<KbArticle?> ArticleAsync(ClientProfile client, string articleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var index = await kb.ForClientAsync(client.ClientId, cancellationToken);
        return Mine(index.Articles, client.ClientId).FirstOrDefault(a => a.ArticleId == articleId);
    }

    /// <summary>The client's own articles and the general ones, the client's own winning an id both have.</summary>
    private static IEnumerable<KbArticle> Mine(IEnumerable<KbArticle> articles, string clientId) =>
        articles.Where(a => a.ClientId == clientId || a.IsGeneral)
            .GroupBy(a => a.ArticleId, StringComparer.Ordinal)
            .Select(g => g.FirstOrDefault(a => a.ClientId == clientId) ?? g.First());

    /// <summary>
    /// "This solved it": a self-service deflection, counted apart from tickets and at most once per
    /// visit token (issue #34 fix 5: a double click, a retried post or every article of one visit
    /// count once). Callers nobody vouches for are limited per caller IP first (<paramref name="callerIp"/>
    /// null: a signed-in requester, not limited): fresh visits cost nothing.
    /// </summary>
    public async Task<SolvedResult> SolvedAsync(ClientProfile client, string? formToken, string articleId, string? callerIp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (visit, problem) = Visit(client.ClientId, formToken);
        if (visit is null) return new SolvedResult.Expired("form: " + LinkTokens.Describe(problem));
        var article = await ArticleAsync(client, articleId ?? "", cancellationToken);
        if (article is null) return new SolvedResult.NoArticle("article: not one of this portal’s articles");
        if (callerIp is not null && !await limits.TakeSolvedAsync(callerIp, cancellationToken))
            return new SolvedResult.Limited($"too many \"this solved it\" clicks from here this hour (at most {PortalRateLimits.SolvedPerIpPerHour} per network)");
        await outcomes.RecordSelfServiceDeflectionAsync(
            new SelfServiceDeflection(client.ClientId, "portal." + Hash(visit), time.GetUtcNow(), article.ArticleId), cancellationToken);
        return new SolvedResult.Recorded(article.ArticleId);
    }

    /// <summary>
    /// Files a ticket from the form through the intake every channel uses (<see cref="TicketIntake.FileAsync(NewTicket, ClientProfile, ITicketWorkflow, Func{Ticket, Ticket?}?, CancellationToken)"/>:
    /// classified, stored, acknowledged, its workflow started), with the checks of <c>POST /api/tickets</c>,
    /// channel portal, idempotent on the form's visit (a double submit files one ticket), and the
    /// status link put on the ticket before the acknowledgement is written from it.
    /// </summary>
    public async Task<PortalFileResult> FileAsync(ClientProfile client, PortalSubmission form, string? callerIp, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(form);
        var (visit, problem) = Visit(client.ClientId, form.FormToken);
        if (visit is null) return new PortalFileResult.Expired("form: " + LinkTokens.Describe(problem));
        var body = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["clientId"] = client.ClientId,
            ["requester"] = string.IsNullOrWhiteSpace(form.Name)
                ? new Dictionary<string, string> { ["email"] = form.Email.Trim() }
                : new Dictionary<string, string> { ["email"] = form.Email.Trim(), ["name"] = form.Name.Trim() },
            ["subject"] = form.Subject,
            ["body"] = form.Description,
        });
        var parsed = NewTicketRequest.Parse(body);
        if (!parsed.Ok)
        {
            var error = parsed.Error!.StartsWith("requester.", StringComparison.Ordinal) ? parsed.Error["requester.".Length..] : parsed.Error;
            return new PortalFileResult.Invalid(error.StartsWith("body:", StringComparison.Ordinal) ? "description:" + error["body:".Length..] : error);
        }
        var input = parsed.Value! with { ExternalId = "portal:" + visit, Channel = Channel.Portal };
        if (form.Attachment is { } file && file.Content.Length > MaxAttachmentBytes)
            return new PortalFileResult.TooLarge($"attachment: must be at most {MaxAttachmentBytes / 1024 / 1024} MB");
        // Nobody vouches for a typed address: such submissions are limited per address and per IP.
        if (callerIp is not null && !await limits.TakeSubmissionAsync(input.Requester.Email, callerIp, cancellationToken))
            return new PortalFileResult.Limited(
                $"too many requests from here this hour (at most {PortalRateLimits.PerAddressPerHour} per address and {PortalRateLimits.PerIpPerHour} per network); please try again later or email us");
        var ticket = await intake.FileAsync(input, client, workflow, WithStatusLink, cancellationToken);
        if (form.Attachment is { Content.Length: > 0 } attachment)
        {
            // Kept in Blob like a mail's attachment, once (a double submit names the same blob). The
            // ticket is stored first: the blob is named by its id. From here the request going away
            // must not leave the file half kept, so nothing below listens to its token.
            var blob = await files.PutAttachmentAsync(ticket.TicketId, attachment, CancellationToken.None);
            var kept = new TicketAttachment(attachment.Filename, attachment.ContentType, attachment.Content.Length, blob);
            await tickets.UpdateAsync(ticket.TicketId, t => (t.Attachments ?? []).Any(a => a.Blob == blob) ? null
                : t with { Attachments = [.. t.Attachments ?? [], kept] }, CancellationToken.None);
        }
        LogFiled(logger, ticket.TicketId, client.ClientId);
        return new PortalFileResult.Filed(ticket.TicketId, StatusUrl(ticket));
    }

    /// <summary>The ticket's status page, with its signed token, under the public base URL.</summary>
    public string StatusUrl(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var settings = links();
        return settings.PublicBaseUrl + PortalTokens.StatusPath(ticket.ClientId, ticket.TicketId,
            PortalTokens.SignStatus(ticket.ClientId, ticket.TicketId, ticket.CreatedAt, settings.SigningKey));
    }

    private Ticket? WithStatusLink(Ticket ticket)
    {
        var url = StatusUrl(ticket);
        return ticket.StatusLink == url ? null : ticket with { StatusLink = url };
    }

    /// <summary>
    /// The ticket a status link opens: the token is the credential (no sign-in, like the mail's own
    /// links), signed for this client and ticket. A malformed token is 400, a forged one or another
    /// ticket's 403, an expired one 410, an unknown ticket 404.
    /// </summary>
    public async Task<StatusLookup> StatusAsync(string clientId, string ticketId, string? token, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(clientId, cancellationToken);
        if (client is null || !TicketIds.IsTicketId(ticketId)) return new StatusLookup.Refused(404, null, NoSuchRequest);
        var problem = PortalTokens.VerifyStatus(token, clientId, ticketId, links().SigningKey, time.GetUtcNow());
        if (problem != LinkTokenProblem.None)
        {
            var status = problem switch { LinkTokenProblem.Expired => 410, LinkTokenProblem.Malformed => 400, _ => 403 };
            return new StatusLookup.Refused(status, client, "token: " + LinkTokens.Describe(problem));
        }
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null || ticket.ClientId != clientId) return new StatusLookup.Refused(404, client, NoSuchRequest);
        return new StatusLookup.Found(client, ticket);
    }

    /// <summary>What the status page shows besides the ticket: the requester's timeline and when the workflow checks in next.</summary>
    public async Task<StatusView> ViewAsync(ClientProfile client, Ticket ticket, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(workflow);
        var timeline = tickets.GetTimelineAsync(ticket.TicketId, cancellationToken);
        var status = workflow.GetStatusAsync(ticket.TicketId, cancellationToken);
        await Task.WhenAll(timeline, status);
        DateTimeOffset? next = null;
        if ((await status)?.CustomStatus is { ValueKind: JsonValueKind.Object } custom
            && custom.TryGetProperty("nextDeadline", out var deadline) && deadline.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(deadline.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at))
            next = at;
        var requester = ticket.Requester.Email.Trim();
        var mine = (ticket.Conversation ?? []).Where(c => string.Equals(c.From.Trim(), requester, StringComparison.OrdinalIgnoreCase)).ToList();
        return new StatusView(client, ticket, PortalWords.PublicTimeline(await timeline), mine, next);
    }

    /// <summary>
    /// "Did this resolve your issue?" from the status page: the same <c>confirmation</c> event the
    /// mail's links raise. Only while the question is open, so an old tab cannot answer a later one.
    /// </summary>
    public static async Task<PortalAction> AnswerAsync(Ticket ticket, string answer, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(workflow);
        if (ticket.Stage != Stage.AwaitingConfirmation) return new PortalAction.Refused(409, "There is no question open on this request right now.");
        if (await workflow.RaiseAsync(ticket.TicketId, TicketEvent.ConfirmationOf(answer), cancellationToken) != RaiseResult.Delivered)
            return new PortalAction.Refused(409, "This request is already closed.");
        return new PortalAction.Done(answer == "yes"
            ? "Thanks! We've marked your request as resolved."
            : "Thanks for telling us. We've passed your request to one of our engineers.", null);
    }

    /// <summary>
    /// A reply from the status page: the <c>reply</c> event a mail reply raises, from the requester's
    /// address. Once the workflow has finished, a new request linked both ways, on the portal channel
    /// with its own status page (where the conversation goes on).
    /// </summary>
    public async Task<PortalAction> ReplyAsync(Ticket ticket, string text, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        text = (text ?? "").Trim();
        if (text.Length is 0 or > MaxReplyChars) return new PortalAction.Refused(400, $"text: must be 1 to {MaxReplyChars} characters");
        var reply = await events.RequesterReplyAsync(ticket, text, Channel.Portal, WithStatusLink, workflow, cancellationToken);
        if (reply.FollowUp is not { } followUp) return new PortalAction.Done("Thanks, we've added your reply to the request.", null);
        return new PortalAction.Done(
            $"This request was already closed, so we've opened a new request, {followUp.TicketId}, with your reply. An engineer will pick it up.",
            StatusUrl(followUp));
    }

    private static string Hash(string text) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text))).TrimEnd('=').Replace('+', '-').Replace('/', '_')[..32];

    [LoggerMessage(Level = LogLevel.Information, Message = "portal ticket {TicketId} for client {ClientId} filed")]
    private static partial void LogFiled(ILogger logger, string ticketId, string clientId);
}

/// <summary>An article suggestion: <c>score</c> relative to the best (1).</summary>
public sealed record Suggestion(string Id, string Title, double Score);

/// <summary>The form's fields as posted (a signed-in requester's address and name in place of the typed ones), and the file if one came.</summary>
public sealed record PortalSubmission(string FormToken, string Email, string Name, string Subject, string Description, Domain.Mail.MailAttachment? Attachment = null);

public abstract record SolvedResult
{
    private SolvedResult() { }

    public sealed record Recorded(string ArticleId) : SolvedResult;

    public sealed record Expired(string Error) : SolvedResult;

    public sealed record NoArticle(string Error) : SolvedResult;

    public sealed record Limited(string Error) : SolvedResult;
}

public abstract record PortalFileResult
{
    private PortalFileResult() { }

    public sealed record Filed(string TicketId, string StatusUrl) : PortalFileResult;

    public sealed record Expired(string Error) : PortalFileResult;

    public sealed record Invalid(string Error) : PortalFileResult;

    public sealed record Limited(string Error) : PortalFileResult;

    public sealed record TooLarge(string Error) : PortalFileResult;
}

public abstract record StatusLookup
{
    private StatusLookup() { }

    public sealed record Found(ClientProfile Client, Ticket Ticket) : StatusLookup;

    /// <summary>Refused; <c>Client</c> when the client is known (the page is then in its name).</summary>
    public sealed record Refused(int Status, ClientProfile? Client, string Error) : StatusLookup;
}

/// <summary>The status page's data: the requester's view only (stage changes in public words and their own replies).</summary>
public sealed record StatusView(
    ClientProfile Client, Ticket Ticket, IReadOnlyList<PublicTimelineEntry> Timeline, IReadOnlyList<ConversationEntry> Said, DateTimeOffset? NextDeadline);

public abstract record PortalAction
{
    private PortalAction() { }

    /// <summary>Done; <c>FollowUpUrl</c> is the new request's status page when a reply became one.</summary>
    public sealed record Done(string Notice, string? FollowUpUrl) : PortalAction;

    public sealed record Refused(int Status, string Error) : PortalAction;
}
