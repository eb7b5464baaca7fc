using Autotier.Adapters.Durable;
using Autotier.Application.Lifecycle;
using Autotier.Functions.Http;
using Autotier.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Autotier.Functions.Links;

/// <summary>
/// The links in requesters' mails: "Did this resolve your issue?" and "Is this you?". Anonymous
/// (the signed token is the authority). GET only asks, because mail security scanners open every
/// link in a mail; the answer is recorded when the requester presses the button (a POST).
/// </summary>
public sealed class LinkFunctions(TicketEventIntake events, TicketRatings ratings)
{
    [Function("confirmTicket")]
    public async Task<IActionResult> Confirm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "tickets/{ticketId}/confirm")] HttpRequest request,
        string ticketId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = request.Query["answer"].ToString();
        var result = await events.ConfirmAsync(ticketId, answer, request.Query["token"], HttpMethods.IsPost(request.Method), Workflow(durable), cancellationToken);
        var yes = answer == "yes";
        return result.Outcome switch
        {
            LinkOutcome.Ask when LinkPage.WantsHtml(request) => yes
                ? LinkPage.Page(request.HttpContext.Response, 200, "Is it fixed?", $"Press the button to tell us request {ticketId} is sorted, and we'll close it.", "Yes, it's fixed")
                : LinkPage.Page(request.HttpContext.Response, 200, "Still not working?", $"Press the button and an engineer will pick up request {ticketId} with everything you've told us.", "No, I still need help"),
            LinkOutcome.Ask => HttpJson.Json(200, new { ticketId, answer, recorded = false, how = "POST to this URL to record the answer" }),
            LinkOutcome.Recorded => yes
                ? Answer(request, 200, "Great, we're glad it's sorted", $"We've marked request {ticketId} as resolved. If it comes back, just reply to the email.")
                : Answer(request, 200, "Sorry it's still not working", $"We've passed request {ticketId} to one of our engineers with everything you've told us. They'll be in touch."),
            _ => Refusal(request, ticketId, result),
        };
    }

    [Function("verifyRequester")]
    public async Task<IActionResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "tickets/{ticketId}/verify")] HttpRequest request,
        string ticketId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await events.ProveAsync(ticketId, request.Query["token"], HttpMethods.IsPost(request.Method), Workflow(durable), cancellationToken);
        return result.Outcome switch
        {
            LinkOutcome.Ask when LinkPage.WantsHtml(request) =>
                LinkPage.Page(request.HttpContext.Response, 200, "Was it you?", $"Press the button to confirm you asked for request {ticketId}, and we'll carry on with it.", "Yes, it was me"),
            LinkOutcome.Ask => HttpJson.Json(200, new { ticketId, recorded = false, how = "POST to this URL to confirm" }),
            LinkOutcome.Recorded => Answer(request, 200, "Thanks, that's confirmed", $"We'll carry on with request {ticketId} now and email you shortly."),
            _ => Refusal(request, ticketId, result),
        };
    }

    /// <summary>The page's form (a score and a comment of at most 2,000 characters) or a JSON body.</summary>
    private const int MaxRateBodyBytes = 16 * 1024;

    [Function("rateTicket")]
    public async Task<IActionResult> Rate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "tickets/{ticketId}/rate")] HttpRequest request,
        string ticketId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var post = HttpMethods.IsPost(request.Method);
        string? score = null, comment = null;
        if (post)
        {
            var body = await PostedRatingAsync(request, cancellationToken);
            if (body.Refusal is not null) return body.Refusal;
            (score, comment) = (body.Score, body.Comment);
        }
        var result = await ratings.RateAsync(ticketId, request.Query["score"].ToString(), request.Query["token"], post, score, comment, cancellationToken);
        return result.Outcome switch
        {
            RateOutcome.Ask when LinkPage.WantsHtml(request) => LinkPage.RatingForm(request.HttpContext.Response, ticketId, result.Score!.Value, TicketRatings.MaxComment),
            RateOutcome.Ask => HttpJson.Json(200, new { ticketId, score = result.Score, recorded = false, how = "POST to this URL (optionally with {comment}) to record the rating" }),
            RateOutcome.Recorded => LinkPage.WantsHtml(request)
                ? LinkPage.Page(request.HttpContext.Response, 200, "Thank you!", "We have your rating. It helps us see what we are doing well and what we could do better.")
                : HttpJson.Json(200, new { ticketId, recorded = true, score = result.Score }),
            RateOutcome.AlreadyRated => LinkPage.WantsHtml(request)
                ? LinkPage.Page(request.HttpContext.Response, 200, "Thanks, we already have your rating", "You do not need to do anything else.")
                : HttpJson.Json(200, new { ticketId, recorded = false, result = "already rated with this link" }),
            RateOutcome.Expired => Answer(request, 410, "That link has expired", "Thank you for wanting to tell us. You can still reply to the email with your thoughts.", result.Error),
            RateOutcome.NotFound => Answer(request, 404, "We could not find that request", "Please reply to the email instead.", result.Error),
            _ => result.Error?.StartsWith("comment:", StringComparison.Ordinal) == true
                ? Answer(request, 400, "That comment is a little long", $"Please keep it under {TicketRatings.MaxComment} characters, or reply to the email instead.", result.Error)
                : Answer(request, 400, "That link does not work", "Please use one of the numbers in the email. If it still does not work, simply reply to the email and tell us.", result.Error),
        };
    }

    private sealed record PostedRating(string? Score, string? Comment, IActionResult? Refusal = null);

    /// <summary>
    /// The posted score and comment: a JSON object, or the page's form. Read up to the limit and no
    /// further (the declared length first), so a large body never fills memory.
    /// </summary>
    private static async Task<PostedRating> PostedRatingAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var tooLarge = new PostedRating(null, null, HttpJson.Error(413, $"request body is larger than {MaxRateBodyBytes} bytes"));
        if (request.ContentLength > MaxRateBodyBytes) return tooLarge;
        var buffer = new byte[MaxRateBodyBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0) total += read;
        if (total > MaxRateBodyBytes) return tooLarge;
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, true).GetString(buffer, 0, total);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return new PostedRating(null, null, HttpJson.Error(400, "request body is not valid UTF-8"));
        }
        if (string.IsNullOrWhiteSpace(text)) return new PostedRating(null, null);
        if (request.ContentType?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(text);
                var root = document.RootElement;
                if (root.ValueKind != System.Text.Json.JsonValueKind.Object) return new PostedRating(null, null, HttpJson.Error(400, "request body must be a JSON object"));
                string? score = null, comment = null;
                if (root.TryGetProperty("comment", out var c))
                {
                    if (c.ValueKind != System.Text.Json.JsonValueKind.String) return new PostedRating(null, null, HttpJson.Error(400, "comment: must be text"));
                    comment = c.GetString();
                }
                if (root.TryGetProperty("score", out var s))
                {
                    score = s.ValueKind switch
                    {
                        System.Text.Json.JsonValueKind.String => s.GetString(),
                        System.Text.Json.JsonValueKind.Number => s.GetRawText(),
                        _ => null,
                    };
                    if (score is null) return new PostedRating(null, null, HttpJson.Error(400, "score: must be a whole number from 1 to 5"));
                }
                return new PostedRating(score, comment);
            }
            catch (System.Text.Json.JsonException)
            {
                return new PostedRating(null, null, HttpJson.Error(400, "request body is not valid JSON"));
            }
        }
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(text);
        return new PostedRating(
            form.TryGetValue("score", out var formScore) ? formScore.ToString() : null,
            form.TryGetValue("comment", out var formComment) ? formComment.ToString() : null);
    }

    private static IActionResult Refusal(HttpRequest request, string ticketId, LinkResult result) => result.Outcome switch
    {
        LinkOutcome.AlreadyUsed => Answer(request, 200, "Thanks, we already have your answer", "You do not need to do anything else."),
        LinkOutcome.Finished => Answer(request, 409, "This request is already closed",
            $"Request {ticketId} was closed a while ago. If you still need help, just reply to the email and we'll open it again as a new request.", result.Error),
        LinkOutcome.Expired => Answer(request, 410, "That link has expired", "No problem: just reply to the email and tell us how it went.", result.Error),
        _ => Answer(request, 400, result.Outcome == LinkOutcome.Incomplete ? "That link is not complete" : "That link does not work",
            "Please use the buttons in the email, or simply reply to it.", result.Error),
    };

    private static IActionResult Answer(HttpRequest request, int status, string title, string text, string? error = null) =>
        LinkPage.WantsHtml(request) ? LinkPage.Page(request.HttpContext.Response, status, title, text)
        : error is null ? HttpJson.Json(status, new { result = title })
        : HttpJson.Error(status, error);

    private static DurableTicketWorkflow Workflow(DurableTaskClient durable) => new(durable, OrchestrationNames.Ticket);
}
