using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Intake;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Tickets;

/// <summary>What <c>POST /api/tickets</c> does, apart from reading the HTTP request.</summary>
public sealed partial class TicketIntake(
    ITicketStore tickets,
    IClientStore clients,
    AcknowledgeAtOnce acknowledge,
    TimeProvider time,
    ILogger<TicketIntake> logger)
{
    /// <summary>Bumped when the orchestration's steps change, so old instances replay their own way.</summary>
    public const int WorkflowVersion = 1;

    public async Task<IntakeResult> CreateAsync(JsonElement body, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        var parsed = NewTicketRequest.Parse(body);
        if (!parsed.Ok) return new IntakeResult.Invalid(parsed.Error!);
        var input = parsed.Value!;
        // No ghost clients: a ticket for a client nobody set up is stored nowhere and mails nobody.
        if (await clients.GetAsync(input.ClientId, cancellationToken) is null)
            return new IntakeResult.Invalid($"clientId: no client \"{input.ClientId}\" is set up here");

        var (ticket, created) = await tickets.CreateAsync(input, time.GetUtcNow(), cancellationToken);
        // A repeat delivery still (re)starts the workflow: the first attempt may have stopped before it.
        var acknowledgedAt = created ? await acknowledge.SendAsync(ticket, cancellationToken) : null;
        var started = await workflow.EnsureStartedAsync(
            new TicketWorkflowInput(ticket.TicketId, ticket.ClientId, acknowledgedAt, WorkflowVersion), cancellationToken);
        LogIntake(logger, ticket.TicketId, ticket.ClientId, created ? "created" : "repeat delivery", started ? "started" : "already running");
        return new IntakeResult.Accepted(ticket.TicketId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ticket {TicketId} for client {ClientId}: {What}, orchestration {Started}")]
    private static partial void LogIntake(ILogger logger, string ticketId, string clientId, string what, string started);
}

public abstract record IntakeResult
{
    private IntakeResult() { }

    public sealed record Accepted(string TicketId) : IntakeResult;

    public sealed record Invalid(string Error) : IntakeResult;
}
