using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Links;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Lifecycle;

/// <summary>
/// Events from outside reaching a ticket's workflow: <c>POST /api/tickets/{id}/events</c> (a
/// reply, a plan, a resolution), the "Did this resolve your issue?" links, and the proof-of-address
/// link. Refuses what would change nothing or change someone else's ticket; a reply to a finished
/// ticket becomes a linked follow-up ticket.
/// </summary>
public sealed partial class TicketEventIntake(
    ITicketStore tickets,
    IClientStore clients,
    ITokenStore tokens,
    TicketIntake intake,
    Func<LinkSettings> links,
    TimeProvider time,
    ILogger<TicketEventIntake> logger)
{
    /// <summary>
    /// An event for a ticket. <paramref name="channel"/>: how it came (a mail reply is
    /// <see cref="Channel.Email"/>), which a follow-up ticket it starts keeps, as in TypeScript.
    /// </summary>
    public async Task<EventResult> PostAsync(string ticketId, JsonElement body, ITicketWorkflow workflow, CancellationToken cancellationToken, Channel channel = Channel.Api)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        if (!TicketIds.IsTicketId(ticketId)) return new EventResult.Refused(400, "ticketId: must look like T-1042");
        var parsed = TicketEventRequest.Parse(body);
        if (!parsed.Ok) return new EventResult.Refused(400, parsed.Error);
        return await RaiseAsync(ticketId, parsed.Value, workflow, cancellationToken, channel);
    }

    /// <summary>
    /// An event made here rather than read from a body (the ops page's pause and resume), under the
    /// same refusals as one posted to the events route.
    /// </summary>
    public async Task<EventResult> RaiseAsync(string ticketId, TicketEvent ticketEvent, ITicketWorkflow workflow, CancellationToken cancellationToken, Channel channel = Channel.Api)
    {
        ArgumentNullException.ThrowIfNull(ticketEvent);
        ArgumentNullException.ThrowIfNull(workflow);
        var ticket = await tickets.GetAsync(ticketId, cancellationToken);
        if (ticket is null) return new EventResult.Refused(404, $"ticket {ticketId} not found");
        if (Refusal(ticket, ticketEvent) is { } refused) return refused;

        if (await workflow.RaiseAsync(ticketId, ticketEvent, cancellationToken) == RaiseResult.Delivered)
        {
            LogAccepted(logger, ticketId, ticketEvent.Kind);
            return new EventResult.Accepted(ticketEvent.Kind);
        }
        // The workflow has ended (or its history was purged): the requester's reply starts a linked
        // follow-up; nothing else can change a finished ticket.
        if (ticketEvent.Kind != TicketEvent.Reply) return new EventResult.Refused(409, $"ticket {ticketId} is finished; only a reply can follow it up");
        var followUp = await FollowUpAsync(ticket, ticketEvent.Text!, channel, null, workflow, cancellationToken);
        return new EventResult.FollowedUp(followUp.TicketId);
    }

    /// <summary>
    /// A reply the requester wrote somewhere that vouches for them (the portal's status page, whose
    /// token is the credential): the same <c>reply</c> event as a mail reply, from the requester's
    /// address; once the workflow has finished, a linked follow-up on <paramref name="channel"/>, with
    /// <paramref name="prepare"/> applied before it is acknowledged (the portal's status link).
    /// </summary>
    public async Task<RequesterReply> RequesterReplyAsync(
        Ticket ticket, string text, Channel channel, Func<Ticket, Ticket?>? prepare, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(workflow);
        var reply = TicketEvent.ReplyFrom(ticket.Requester.Email, text);
        if (await workflow.RaiseAsync(ticket.TicketId, reply, cancellationToken) == RaiseResult.Delivered)
        {
            LogAccepted(logger, ticket.TicketId, reply.Kind);
            return new RequesterReply(null);
        }
        return new RequesterReply(await FollowUpAsync(ticket, reply.Text!, channel, prepare, workflow, cancellationToken));
    }

    /// <summary>
    /// Events that would change nothing, or change someone else's ticket: a reply from an address
    /// that is neither the requester nor on the ticket's thread (403), a plan before a person has
    /// the ticket, a resolution of a resolved ticket (409).
    /// </summary>
    private static EventResult.Refused? Refusal(Ticket ticket, TicketEvent e)
    {
        if (e.Kind == TicketEvent.Reply && !ticket.MayAnswer(e.From!))
            return new(403, $"{e.From} is not the requester of {ticket.TicketId} nor on its mail thread; only they may answer");
        if (e.Kind == TicketEvent.Plan && ticket.Stage != Stage.Escalated)
            return new(409, $"ticket {ticket.TicketId} is {StageWords(ticket.Stage)}; a plan is recorded only while it is escalated to a person");
        if (e.Kind == TicketEvent.Resolved && ticket.Stage is Stage.Resolved or Stage.Closed)
            return new(409, $"ticket {ticket.TicketId} is already {StageWords(ticket.Stage)}");
        // A person holds the SLA only while a person has the ticket; its own pauses (waiting on the
        // requester's answer) are the workflow's.
        if (e.Kind == TicketEvent.Waiting && ticket.Stage != Stage.Escalated)
            return new(409, $"ticket {ticket.TicketId} is {StageWords(ticket.Stage)}; the SLA is paused or resumed by hand only while a person has it");
        if (e.Kind == TicketEvent.Waiting && e.FromOps && ticket.Sla is { } sla && sla.Paused == (e.IsWaiting == true))
            return new(409, $"the SLA clock of {ticket.TicketId} is already {(sla.Paused ? "paused" : "running")}");
        return null;
    }

    private static string StageWords(Stage stage) => JsonSerializer.Serialize(stage).Trim('"').Replace('_', ' ');

    private async Task<Ticket> FollowUpAsync(
        Ticket ticket, string text, Channel channel, Func<Ticket, Ticket?>? prepare, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        var client = await clients.GetAsync(ticket.ClientId, cancellationToken)
            ?? new Domain.Clients.ClientProfile(ticket.ClientId, ticket.ClientId);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
        var subject = ticket.Subject.StartsWith("Re: ", StringComparison.Ordinal) ? ticket.Subject : "Re: " + ticket.Subject;
        var followUp = await intake.FileAsync(
            new NewTicket(ticket.ClientId, ticket.Requester, EscalationPackage.Cut(subject, 300), text, $"follow-up:{ticket.TicketId}:{hash}", channel)
            {
                FollowUpOf = ticket.TicketId,
                Participants = ticket.Participants,
            },
            client, workflow, prepare, CancellationToken.None);
        await tickets.UpdateAsync(ticket.TicketId, t => t.FollowUps?.Contains(followUp.TicketId) == true ? null
            : t with { FollowUps = [.. t.FollowUps ?? [], followUp.TicketId] }, CancellationToken.None);
        LogFollowUp(logger, ticket.TicketId, followUp.TicketId);
        return followUp;
    }

    /// <summary>
    /// A "Did this resolve your issue?" link. GET only asks (mail security scanners open every link
    /// in a mail); the answer is recorded on POST, once per question (its nonce).
    /// </summary>
    public async Task<LinkResult> ConfirmAsync(string ticketId, string? answer, string? token, bool record, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        if (answer is not ("yes" or "no")) return new LinkResult(LinkOutcome.Incomplete, "answer: must be yes or no");
        var (verified, problem) = LinkTokens.Verify(token ?? "", ticketId, links().SigningKey, time.GetUtcNow());
        if (verified is null) return new LinkResult(problem == LinkTokenProblem.Expired ? LinkOutcome.Expired : LinkOutcome.Invalid, "token: " + LinkTokens.Describe(problem));
        if (!record) return new LinkResult(LinkOutcome.Ask, null);
        if (!await tokens.UseAsync(verified.Nonce, verified.ExpiresAt, cancellationToken)) return new LinkResult(LinkOutcome.AlreadyUsed, null);
        var raised = await RaiseOrForgetAsync(ticketId, TicketEvent.ConfirmationOf(answer), verified.Nonce, workflow, cancellationToken);
        return new LinkResult(raised == RaiseResult.Delivered ? LinkOutcome.Recorded : LinkOutcome.Finished, raised == RaiseResult.Delivered ? null : $"ticket {ticketId} is finished");
    }

    /// <summary>"Is this you?": the proof-of-address link, recorded on POST only, once.</summary>
    public async Task<LinkResult> ProveAsync(string ticketId, string? token, bool record, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var (verified, problem) = LinkTokens.Verify(token ?? "", ticketId, LinkTokens.ProofKey(links().SigningKey), time.GetUtcNow());
        if (verified is null) return new LinkResult(problem == LinkTokenProblem.Expired ? LinkOutcome.Expired : LinkOutcome.Invalid, "token: " + LinkTokens.Describe(problem));
        if (!record) return new LinkResult(LinkOutcome.Ask, null);
        if (!await tokens.UseAsync(verified.Nonce, verified.ExpiresAt, cancellationToken)) return new LinkResult(LinkOutcome.AlreadyUsed, null);
        var raised = await RaiseOrForgetAsync(ticketId, new TicketEvent(TicketEvent.Proof), verified.Nonce, workflow, cancellationToken);
        return new LinkResult(raised == RaiseResult.Delivered ? LinkOutcome.Recorded : LinkOutcome.Finished, raised == RaiseResult.Delivered ? null : $"ticket {ticketId} is finished");
    }

    /// <summary>
    /// The link's answer to its workflow. The nonce was claimed first (two clicks race on the claim,
    /// one wins); when the workflow cannot be told (storage trouble), the claim is let go so the
    /// requester's retry records the answer instead of hearing "we already have it".
    /// </summary>
    private async Task<RaiseResult> RaiseOrForgetAsync(string ticketId, TicketEvent e, string nonce, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        try
        {
            return await workflow.RaiseAsync(ticketId, e, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await tokens.ForgetAsync(nonce, CancellationToken.None);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ticket {TicketId}: {Kind} event accepted")]
    private static partial void LogAccepted(ILogger logger, string ticketId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "ticket {TicketId} is finished; the reply became {FollowUp}")]
    private static partial void LogFollowUp(ILogger logger, string ticketId, string followUp);
}

public abstract record EventResult
{
    private EventResult() { }

    public sealed record Accepted(string Kind) : EventResult;

    public sealed record FollowedUp(string FollowUpTicketId) : EventResult;

    public sealed record Refused(int Status, string Error) : EventResult;
}

/// <summary>A requester's reply: delivered to the workflow (<c>FollowUp</c> null), or the follow-up ticket it became.</summary>
public sealed record RequesterReply(Ticket? FollowUp);

public enum LinkOutcome { Ask, Recorded, AlreadyUsed, Finished, Expired, Invalid, Incomplete }

public sealed record LinkResult(LinkOutcome Outcome, string? Error);
