using System.Net;
using Autotier.Adapters.Durable;
using Autotier.Application.Portal;
using Autotier.Domain.Clients;
using Autotier.Functions.Http;
using Autotier.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Primitives;

namespace Autotier.Functions.Portal;

/// <summary>
/// The requester portal (<c>/api/portal/{clientId}</c>): the form, live suggestions, articles,
/// "this solved it", filing, and each ticket's status page. Anonymous routes: Entra sign-in (Easy
/// Auth) where AUTOTIER_EASY_AUTH=1, rate limits for everyone nobody vouches for, the status page's
/// signed token as its credential. Browsers get pages, API clients (<c>accept: application/json</c>) JSON.
/// </summary>
public sealed class PortalFunctions(RequesterPortal portal, PortalOptions options)
{
    /// <summary>The form's text fields: a description of up to 20,000 characters, three bytes each at most, and the rest.</summary>
    private const int MaxFieldBytes = 128 * 1024;

    /// <summary>The form with its file: the file's limit and the text fields.</summary>
    private const int MaxFormBytes = RequesterPortal.MaxAttachmentBytes + 256 * 1024;

    private const int MaxSmallFormBytes = 16 * 1024;

    [Function("portalForm")]
    public async Task<IActionResult> Form(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portal/{clientId}")] HttpRequest request,
        string clientId,
        CancellationToken cancellationToken)
    {
        var (client, caller, refusal) = await AdmitAsync(request, clientId, cancellationToken);
        if (refusal is not null) return refusal;
        // Each visit gets a form token of its own: it keys the submission and "this solved it".
        return PortalPages.Form(request.HttpContext.Response, 200, client!.ClientId, client.Name, portal.NewVisit(client.ClientId), caller!.SignedIn);
    }

    [Function("portalSuggest")]
    public async Task<IActionResult> Suggest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portal/{clientId}/suggest")] HttpRequest request,
        string clientId,
        CancellationToken cancellationToken)
    {
        var (client, _, refusal) = await AdmitAsync(request, clientId, cancellationToken);
        if (refusal is not null) return refusal;
        var q = request.Query["q"].ToString();
        if (q.Length > RequesterPortal.MaxQueryChars)
            return Error(request, 400, client!.Name, "Too long", $"q: must be at most {RequesterPortal.MaxQueryChars} characters");
        var found = await portal.SuggestAsync(client!, q, cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        var b = PortalPages.Base(client!.ClientId);
        return HttpJson.Json(200, new { articles = found.Select(a => new { a.Id, a.Title, a.Score, url = $"{b}/articles/{Uri.EscapeDataString(a.Id)}" }) });
    }

    [Function("portalArticle")]
    public async Task<IActionResult> Article(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portal/{clientId}/articles/{articleId}")] HttpRequest request,
        string clientId,
        string articleId,
        CancellationToken cancellationToken)
    {
        var (client, _, refusal) = await AdmitAsync(request, clientId, cancellationToken);
        if (refusal is not null) return refusal;
        var article = await portal.ArticleAsync(client!, articleId, cancellationToken);
        if (article is null) return Error(request, 404, client!.Name, "No such article", "That article is not here any more.");
        // The visit that suggested it, so "This solved it" counts once for it; a bare link starts a new one.
        var given = request.Query["form"].ToString();
        var form = portal.Visit(client!.ClientId, given).Visit is not null ? given : portal.NewVisit(client.ClientId);
        return PortalPages.Article(request.HttpContext.Response, client.ClientId, client.Name, article, form);
    }

    [Function("portalSolved")]
    public async Task<IActionResult> Solved(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/{clientId}/solved")] HttpRequest request,
        string clientId,
        CancellationToken cancellationToken)
    {
        var (client, caller, refusal) = await AdmitAsync(request, clientId, cancellationToken);
        if (refusal is not null) return refusal;
        var (form, bad) = await ReadFormAsync(request, MaxSmallFormBytes, client!.Name, cancellationToken);
        if (bad is not null) return bad;
        var back = $"<p><a href=\"{WebUtility.HtmlEncode(PortalPages.Base(client.ClientId))}\">Back to the support page</a></p>";
        return await portal.SolvedAsync(client, form!["form"], form["article"].ToString(), caller!.Anonymous ? ClientAddress.Of(request) : null, cancellationToken) switch
        {
            SolvedResult.Recorded when WantsJson(request) => HttpJson.Json(200, new { recorded = true }),
            SolvedResult.Recorded => PortalPages.Message(request.HttpContext.Response, 200, client.Name, "Great, we're glad that helped",
                "You're all set: no request was filed. If it comes back, you can always ask us for help.", back),
            SolvedResult.Expired expired => Error(request, 403, client.Name, "That page has expired", expired.Error, back),
            SolvedResult.NoArticle missing => Error(request, 400, client.Name, "No such article", missing.Error),
            SolvedResult.Limited limited => RetryLater(request, Error(request, 429, client.Name, "Please try again later", limited.Error)),
            _ => throw new InvalidOperationException("unknown solved result"),
        };
    }

    [Function("portalFile")]
    public async Task<IActionResult> File(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "portal/{clientId}/tickets")] HttpRequest request,
        string clientId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        var (client, caller, refusal) = await AdmitAsync(request, clientId, cancellationToken);
        if (refusal is not null) return refusal;
        var (form, bad) = await ReadFormAsync(request, MaxFormBytes, client!.Name, cancellationToken);
        if (bad is not null) return bad;
        var attachment = await AttachmentAsync(form!.Files.GetFile("attachment"), cancellationToken);
        var values = caller!.SignedIn is { } user
            ? new PortalPages.FormValues(user.Email, user.Name ?? "", form!["subject"].ToString(), form["description"].ToString())
            : new PortalPages.FormValues(form!["email"].ToString().Trim(), form["name"].ToString().Trim(), form["subject"].ToString(), form["description"].ToString());
        var formToken = form["form"].ToString();
        var submission = new PortalSubmission(formToken, values.Email, values.Name, values.Subject, values.Description, attachment);
        var result = await portal.FileAsync(client, submission, caller.Anonymous ? ClientAddress.Of(request) : null,
            new DurableTicketWorkflow(durable, OrchestrationNames.Ticket), cancellationToken);
        IActionResult Again(int status, string error) => WantsJson(request)
            ? HttpJson.Error(status, error)
            : PortalPages.Form(request.HttpContext.Response, status, client.ClientId, client.Name, formToken, caller.SignedIn, values, error);
        switch (result)
        {
            case PortalFileResult.Filed filed when WantsJson(request):
                return HttpJson.Json(202, new { ticketId = filed.TicketId, statusUrl = filed.StatusUrl });
            case PortalFileResult.Filed filed:
                return SeeOther(request, filed.StatusUrl);
            case PortalFileResult.Expired expired:
                return Error(request, 403, client.Name, "That form has expired", expired.Error + "; open the support page again",
                    $"<p><a href=\"{WebUtility.HtmlEncode(PortalPages.Base(client.ClientId))}\">Open the form again</a></p>");
            case PortalFileResult.Invalid invalid:
                return Again(400, invalid.Error);
            case PortalFileResult.Limited limited:
                return RetryLater(request, Again(429, limited.Error));
            case PortalFileResult.TooLarge tooLarge:
                return Again(413, tooLarge.Error);
            default:
                throw new InvalidOperationException("unknown file result");
        }
    }

    [Function("portalStatus")]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "portal/{clientId}/tickets/{ticketId}")] HttpRequest request,
        string clientId,
        string ticketId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lookup = await portal.StatusAsync(clientId, ticketId, request.Query["token"], cancellationToken);
        if (lookup is StatusLookup.Refused refused)
        {
            var name = refused.Client?.Name ?? "IT support";
            var again = refused.Client is null ? "" : $"<p><a href=\"{WebUtility.HtmlEncode(PortalPages.Base(refused.Client.ClientId))}\">Go to the support page</a></p>";
            var (title, text) = refused.Status switch
            {
                404 => ("No such request", refused.Error),
                410 => ("That link has expired", refused.Error),
                400 => ("That link is not complete", refused.Error),
                _ => ("That link does not work", refused.Error),
            };
            return Error(request, refused.Status, name, title, WantsJson(request) ? refused.Error : text, again);
        }
        var (client, ticket) = ((StatusLookup.Found)lookup) switch { var found => (found.Client, found.Ticket) };
        var workflow = new DurableTicketWorkflow(durable, OrchestrationNames.Ticket);
        string? notice = null, error = null;
        var status = 200;
        if (HttpMethods.IsPost(request.Method))
        {
            var (form, bad) = await ReadFormAsync(request, 32 * 1024, client.Name, cancellationToken);
            if (bad is not null) return bad;
            var action = form!["action"].ToString();
            PortalAction done = action switch
            {
                "yes" or "no" => await RequesterPortal.AnswerAsync(ticket, action, workflow, cancellationToken),
                "reply" => await portal.ReplyAsync(ticket, form["text"].ToString(), workflow, cancellationToken),
                _ => new PortalAction.Refused(400, "action: must be yes, no or reply"),
            };
            switch (done)
            {
                case PortalAction.Done { FollowUpUrl: { } followUp } d when WantsJson(request):
                    return HttpJson.Json(200, new { result = d.Notice, followUpStatusUrl = followUp });
                case PortalAction.Done d when WantsJson(request):
                    return HttpJson.Json(200, new { result = d.Notice });
                case PortalAction.Done { FollowUpUrl: { } followUp }:
                    // The follow-up is where the conversation goes on: its own status page.
                    return SeeOther(request, followUp);
                case PortalAction.Done d:
                    notice = d.Notice;
                    break;
                case PortalAction.Refused r when WantsJson(request):
                    return HttpJson.Error(r.Status, r.Error);
                case PortalAction.Refused r:
                    (status, error) = (r.Status, r.Error);
                    break;
            }
            // What the answer or reply changed shows on the page (the workflow may not have got to it yet).
            ticket = (await portal.StatusAsync(clientId, ticketId, request.Query["token"], cancellationToken) as StatusLookup.Found)?.Ticket ?? ticket;
        }
        var view = await portal.ViewAsync(client, ticket, workflow, cancellationToken);
        return PortalPages.Status(request.HttpContext.Response, status, view, notice, error);
    }

    /// <summary>
    /// The client the route names and who is asking: an unknown client is 404 (there is no portal
    /// to show), and with Entra sign-in in front a request without the signed-in user is offered the
    /// sign-in (401) unless the client lets anonymous requesters in.
    /// </summary>
    private async Task<(ClientProfile? Client, PortalCaller? Caller, IActionResult? Refusal)> AdmitAsync(
        HttpRequest request, string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = await portal.ClientAsync(clientId, cancellationToken);
        if (client is null) return (null, null, Error(request, 404, "IT support", "No such portal", "There is no support portal at this address."));
        var caller = PortalAccess.For(request, client, options.EasyAuth);
        if (caller.RefusedStatus is { } status)
        {
            var back = Uri.EscapeDataString(request.Path.Value ?? "/");
            return (client, caller, Error(request, status, client.Name, "Sign in first", caller.Refusal!,
                $"<p><a href=\"/.auth/login/aad?post_login_redirect_uri={WebUtility.HtmlEncode(back)}\">Sign in</a></p>"));
        }
        return (client, caller, null);
    }

    /// <summary>
    /// A form post (<c>application/x-www-form-urlencoded</c> or <c>multipart/form-data</c>), its size
    /// checked before it is parsed (the declared length, then the parser's own limits for a body
    /// without one). Anything else is 415, too large 413, unreadable 400.
    /// </summary>
    private static async Task<(IFormCollection? Form, IActionResult? Refusal)> ReadFormAsync(
        HttpRequest request, int limit, string clientName, CancellationToken cancellationToken)
    {
        var type = request.ContentType ?? "";
        if (!type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            && !type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return (null, Error(request, 415, clientName, "Not a form", "send the form as a browser does (a form post)"));
        var tooLarge = Error(request, 413, clientName, "Too large", $"the form is larger than {limit} bytes");
        if (request.ContentLength > limit) return (null, tooLarge);
        try
        {
            var form = await request.ReadFormAsync(new FormOptions
            {
                BufferBody = true,
                MultipartBodyLengthLimit = limit,
                ValueLengthLimit = Math.Min(limit, MaxFieldBytes),
                ValueCountLimit = 32,
                MultipartHeadersLengthLimit = 16 * 1024,
            }, cancellationToken);
            return (form, null);
        }
        catch (InvalidDataException)
        {
            return (null, tooLarge);
        }
        catch (IOException)
        {
            return (null, Error(request, 400, clientName, "Not a form", "the form could not be read"));
        }
    }

    /// <summary>
    /// The form's file, read whole (the form's limit bounds it to a little over 10 MB); a file of more
    /// than 10 MB is read only one byte past the limit, so the use case refuses it without holding it.
    /// </summary>
    private static async Task<Domain.Mail.MailAttachment?> AttachmentAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0) return null;
        var size = (int)Math.Min(file.Length, RequesterPortal.MaxAttachmentBytes + 1L);
        var content = new byte[size];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(content, cancellationToken);
        var name = string.IsNullOrWhiteSpace(file.FileName) ? "attachment" : Path.GetFileName(file.FileName);
        var type = string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType;
        return new Domain.Mail.MailAttachment(name[..Math.Min(200, name.Length)], type[..Math.Min(100, type.Length)], content);
    }

    private static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>A refusal: JSON <c>{error}</c> for a script or API client, a short page for a browser.</summary>
    private static IActionResult Error(HttpRequest request, int status, string clientName, string title, string error, string html = "") =>
        WantsJson(request) ? HttpJson.Error(status, error) : PortalPages.Message(request.HttpContext.Response, status, clientName, title, error, html);

    /// <summary>303 to a status page: the browser GETs it, so a reload never posts the form again.</summary>
    private static StatusCodeResult SeeOther(HttpRequest request, string url)
    {
        request.HttpContext.Response.Headers.Location = url;
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new StatusCodeResult(StatusCodes.Status303SeeOther);
    }

    private static IActionResult RetryLater(HttpRequest request, IActionResult result)
    {
        request.HttpContext.Response.Headers.RetryAfter = new StringValues("3600");
        return result;
    }
}
