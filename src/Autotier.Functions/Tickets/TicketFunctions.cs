using Autotier.Adapters.Durable;
using Autotier.Application.Lifecycle;
using Autotier.Application.Tickets;
using Autotier.Domain.Intake;
using Autotier.Functions.Composition;
using Autotier.Functions.Http;
using Autotier.Workflow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Autotier.Functions.Tickets;

/// <summary>The ticket API: thin triggers over the intake and query use cases.</summary>
public sealed class TicketFunctions(TicketIntake intake, TicketQueries queries, TicketCorrections corrections, TicketEventIntake events, AutotierSettings settings)
{
    [Function("health")]
    public static IActionResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        HttpJson.Json(StatusCodes.Status200OK, new { status = "ok" });

    [Function("createTicket")]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "tickets")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await HttpJson.ReadJsonAsync(request, NewTicketRequest.MaxRequestBytes, cancellationToken);
        if (body.Refusal is not null) return body.Refusal;
        IntakeResult result;
        try
        {
            result = await intake.CreateAsync(body.Json!.Value, Workflow(durable), cancellationToken);
        }
        catch (Exception e) when (Webhooks.StorageOutage.IsOutage(e))
        {
            // Thrown before the ticket was stored (after that, intake answers with the ticket id and
            // the start sweep starts its workflow): nothing was taken, the caller may send it again.
            return Webhooks.StorageOutage.Answer(request);
        }
        switch (result)
        {
            case IntakeResult.Accepted accepted:
                var statusUrl = $"{settings.PublicBaseUrl}/api/tickets/{accepted.TicketId}";
                request.HttpContext.Response.Headers.Location = statusUrl;
                return HttpJson.Json(StatusCodes.Status202Accepted, new { ticketId = accepted.TicketId, statusUrl });
            case IntakeResult.Invalid invalid:
                return HttpJson.Error(StatusCodes.Status400BadRequest, invalid.Error);
            default:
                throw new InvalidOperationException("unknown intake result");
        }
    }

    [Function("getTicket")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tickets/{ticketId}")] HttpRequest request,
        string ticketId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        return await queries.GetAsync(ticketId, Workflow(durable), cancellationToken) switch
        {
            TicketLookup.Found found => HttpJson.Json(StatusCodes.Status200OK, found.Ticket),
            TicketLookup.Invalid invalid => HttpJson.Error(StatusCodes.Status400BadRequest, invalid.Error),
            TicketLookup.NotFound missing => HttpJson.Error(StatusCodes.Status404NotFound, missing.Error),
            _ => throw new InvalidOperationException("unknown lookup result"),
        };
    }

    /// <summary>Largest event body (a reply's text is at most 20,000 characters, as a ticket body).</summary>
    private const int MaxEventBytes = 64 * 1024;

    [Function("ticketEvents")]
    public async Task<IActionResult> Events(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "tickets/{ticketId}/events")] HttpRequest request,
        string ticketId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await HttpJson.ReadJsonAsync(request, MaxEventBytes, cancellationToken);
        if (body.Refusal is not null) return body.Refusal;
        var json = body.Json!.Value;
        var type = json.ValueKind == System.Text.Json.JsonValueKind.Object && json.TryGetProperty("type", out var t)
            && t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetString() : null;
        if (type != "reclassified")
        {
            return await events.PostAsync(ticketId, json, Workflow(durable), cancellationToken) switch
            {
                EventResult.Accepted accepted => HttpJson.Json(StatusCodes.Status202Accepted, new { ticketId, accepted = accepted.Kind }),
                EventResult.FollowedUp followUp => HttpJson.Json(StatusCodes.Status202Accepted, new { ticketId, followUpTicketId = followUp.FollowUpTicketId }),
                EventResult.Refused refused => HttpJson.Error(refused.Status, refused.Error),
                _ => throw new InvalidOperationException("unknown event result"),
            };
        }
        return await corrections.ReclassifyAsync(ticketId, json, cancellationToken) switch
        {
            CorrectionResult.Accepted accepted => HttpJson.Json(StatusCodes.Status202Accepted, new
            {
                ticketId = accepted.Ticket.TicketId,
                category = accepted.Ticket.Classification!.Category,
                priority = accepted.Ticket.Classification.Priority,
            }),
            CorrectionResult.Invalid invalid => HttpJson.Error(StatusCodes.Status400BadRequest, invalid.Error),
            CorrectionResult.NotFound missing => HttpJson.Error(StatusCodes.Status404NotFound, missing.Error),
            CorrectionResult.Conflict conflict => HttpJson.Error(StatusCodes.Status409Conflict, conflict.Error),
            _ => throw new InvalidOperationException("unknown correction result"),
        };
    }

    private static DurableTicketWorkflow Workflow(DurableTaskClient durable) => new(durable, OrchestrationNames.Ticket);
}
