using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.Domain.Intake;
using Autotier.Domain.Secrets;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Tickets;

/// <summary>What <c>POST /api/tickets</c> does, apart from reading the HTTP request.</summary>
public sealed partial class TicketIntake(
    ITicketStore tickets,
    IClientStore clients,
    AcknowledgeAtOnce acknowledge,
    ITicketStarts startQueue,
    ITicketClassifier classifier,
    IAssistant assistant,
    TimeProvider time,
    ILogger<TicketIntake> logger)
{
    /// <summary>Bumped when the orchestration's steps change, so old instances replay their own way.</summary>
    public const int WorkflowVersion = 2;

    public async Task<IntakeResult> CreateAsync(JsonElement body, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        var parsed = NewTicketRequest.Parse(body);
        if (!parsed.Ok) return new IntakeResult.Invalid(parsed.Error!);
        var input = parsed.Value!;
        // No ghost clients: a ticket for a client nobody set up is stored nowhere and mails nobody.
        var client = await clients.GetAsync(input.ClientId, cancellationToken);
        if (client is null)
            return new IntakeResult.Invalid($"clientId: no client \"{input.ClientId}\" is set up here");

        var ticket = await FileAsync(input, client, workflow, cancellationToken);
        return new IntakeResult.Accepted(ticket.TicketId);
    }

    /// <summary>
    /// Files a checked ticket for a known client: classified, stored, acknowledged and its workflow
    /// started. Every channel that makes tickets comes through here (the API, follow-ups of finished
    /// tickets; mail, PSAs and the portal as the intake port adds them).
    /// </summary>
    public Task<Ticket> FileAsync(NewTicket input, Domain.Clients.ClientProfile client, ITicketWorkflow workflow, CancellationToken cancellationToken) =>
        FileAsync(input, client, workflow, null, cancellationToken);

    /// <summary>
    /// As <see cref="FileAsync(NewTicket, Domain.Clients.ClientProfile, ITicketWorkflow, CancellationToken)"/>,
    /// with <paramref name="prepare"/> applied to the stored ticket before it is acknowledged (a pure
    /// change, or null for none): the portal puts the ticket's status link on it there, so the
    /// acknowledgement mail carries the link. Applied on a repeat delivery too (it must be idempotent).
    /// </summary>
    public async Task<Ticket> FileAsync(
        NewTicket input, Domain.Clients.ClientProfile client, ITicketWorkflow workflow, Func<Ticket, Ticket?>? prepare, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return await FileAsync(input, client, prepare, async start =>
        {
            try
            {
                return await workflow.EnsureStartedAsync(start, CancellationToken.None) ? "started" : "already running";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The Durable store refused or timed out: queue the start, so the ticket still gets its
                // workflow (the queue retries, and the start is idempotent).
                try
                {
                    await startQueue.EnqueueAsync(new StartTicketMessage(start.TicketId, start.ClientId, start.AcknowledgedAt), CancellationToken.None);
                }
                catch (Exception queueError) when (queueError is not OperationCanceledException)
                {
                    // The ticket is stored (and maybe acknowledged): answering an error now would make
                    // the caller file it again as a second ticket, or give up on one that exists
                    // (issue #33 fix 4). The start sweep starts its workflow within minutes.
                    LogStartDeferred(logger, start.TicketId, queueError.GetType().Name);
                    return "left to the start sweep";
                }
                LogStartQueued(logger, start.TicketId, e.GetType().Name);
                return "queued";
            }
        }, cancellationToken);
    }

    /// <summary>
    /// As <see cref="FileAsync(NewTicket, Domain.Clients.ClientProfile, ITicketWorkflow, CancellationToken)"/>,
    /// with the workflow's start queued for the <c>startTicket</c> function: for callers with no Durable
    /// client, such as an activity filing a follow-up ticket (the queue retries, the start is idempotent).
    /// </summary>
    public Task<Ticket> FileQueuedAsync(NewTicket input, Domain.Clients.ClientProfile client, CancellationToken cancellationToken) =>
        FileAsync(input, client, null, async start =>
        {
            await startQueue.EnqueueAsync(new StartTicketMessage(start.TicketId, start.ClientId, start.AcknowledgedAt), CancellationToken.None);
            return "queued";
        }, cancellationToken);

    private async Task<Ticket> FileAsync(
        NewTicket input, Domain.Clients.ClientProfile client, Func<Ticket, Ticket?>? prepare, Func<TicketWorkflowInput, Task<string>> start,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(client);
        // Classified here, in the request: it is microseconds of CPU, the ticket is stored with its
        // category and priority (so the first read already shows them, and a P1 needs no workflow
        // step before it is known), and the workflow reads the decision instead of making it. The
        // classifier sees the masked text only, as everything after intake does.
        var classification = await classifier.ClassifyAsync(
            SecretMasking.Mask(input.Subject).Text, SecretMasking.Mask(input.Body).Text, client, input.Requester.Email, cancellationToken);
        var (ticket, created) = await tickets.CreateAsync(input with { Classification = classification }, time.GetUtcNow(), cancellationToken);
        if (prepare is not null)
            ticket = await tickets.UpdateAsync(ticket.TicketId, prepare, CancellationToken.None) ?? ticket;

        // The stored ticket is the commit point: from here the caller going away (or the host
        // stopping) must not leave it unacknowledged and without a workflow, so nothing below
        // listens to the request's token. The acknowledgement has its own time limit.
        // A repeat delivery still (re)starts the workflow: the first attempt may have stopped before it.
        var acknowledgedAt = created ? await acknowledge.SendAsync(ticket, client.EmergencyPhone, CancellationToken.None) : null;
        var started = await start(new TicketWorkflowInput(ticket.TicketId, ticket.ClientId, acknowledgedAt, WorkflowVersion)
        {
            SecondOpinion = assistant.IsConfigured,
        });
        LogIntake(logger, ticket.TicketId, ticket.ClientId, created ? "created" : "repeat delivery", started);
        return ticket;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "ticket {TicketId}: stored, but neither its workflow nor the start queue could be reached ({Error}); the start sweep will start it")]
    private static partial void LogStartDeferred(ILogger logger, string ticketId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ticket {TicketId}: its workflow could not be started now ({Error}); the start is queued")]
    private static partial void LogStartQueued(ILogger logger, string ticketId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "ticket {TicketId} for client {ClientId}: {What}, orchestration {Started}")]
    private static partial void LogIntake(ILogger logger, string ticketId, string clientId, string what, string started);

}

public abstract record IntakeResult
{
    private IntakeResult() { }

    public sealed record Accepted(string TicketId) : IntakeResult;

    public sealed record Invalid(string Error) : IntakeResult;
}
