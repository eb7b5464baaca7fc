using Autotier.Adapters.Durable;
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
public sealed class TicketFunctions(TicketIntake intake, TicketQueries queries, AutotierSettings settings)
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
        var result = await intake.CreateAsync(body.Json!.Value, Workflow(durable), cancellationToken);
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

    private static DurableTicketWorkflow Workflow(DurableTaskClient durable) => new(durable, OrchestrationNames.Ticket);
}
