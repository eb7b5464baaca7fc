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
public sealed class LinkFunctions(TicketEventIntake events)
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
