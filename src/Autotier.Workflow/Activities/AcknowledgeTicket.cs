using Autotier.Application.Ports;
using Autotier.Domain.Mail;
using Autotier.Domain.Metrics;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities;

public sealed record AcknowledgeInput(string TicketId, DateTimeOffset? AcknowledgedAt, DateTimeOffset At);

public sealed record AcknowledgeResult(bool Sent);

/// <summary>
/// The first response, recorded. Runs at least once: the mail goes out under the key
/// (ticket, "ack"), so a second run finds it sent, and the timeline line is keyed by its step.
/// When the intake already sent the mail (<c>AcknowledgedAt</c>), only the record is written.
/// </summary>
public sealed class AcknowledgeTicket(ITicketStore tickets, IClientStore clients, IEmailSender mail, IOutcomeLog? outcomes = null)
{
    public async Task<AcknowledgeResult> RunAsync(AcknowledgeInput input, CancellationToken cancellationToken)
    {
        var ticket = await tickets.GetAsync(input.TicketId, cancellationToken)
            ?? throw new InvalidOperationException($"ticket {input.TicketId} is not stored");
        var sent = false;
        if (input.AcknowledgedAt is null)
        {
            var phone = (await clients.GetAsync(ticket.ClientId, cancellationToken))?.EmergencyPhone;
            var result = await mail.SendAsync(Messages.AcknowledgementFor(ticket, phone), MailKeys.For(ticket.TicketId, "ack"), cancellationToken);
            sent = !result.Duplicate;
        }
        await tickets.AppendTimelineAsync(
            ticket.TicketId,
            new TimelineEntry("acknowledged", input.AcknowledgedAt ?? input.At, ticket.Stage, $"Acknowledged to the requester with reference {ticket.TicketId}"),
            cancellationToken);
        if (outcomes is not null)
        {
            // What the metrics count from the first slice: when it came, the first response, and how it was classified.
            var c = ticket.Classification;
            OutcomeEvent Event(string step, DateTimeOffset at, string kind) => new(ticket.ClientId, ticket.TicketId, ticket.CreatedAt, step, at, kind);
            await outcomes.RecordAsync(
            [
                Event("received", ticket.CreatedAt, OutcomeKinds.Received) with { Channel = ticket.Channel.ToString().ToLowerInvariant() },
                Event("acknowledged", input.AcknowledgedAt ?? input.At, OutcomeKinds.Acknowledged),
                .. c is null ? Array.Empty<OutcomeEvent>() :
                [
                    Event("classified", ticket.CreatedAt, OutcomeKinds.Classified) with
                    {
                        Category = c.Category, Priority = c.Priority, Tier = c.Tier,
                        Route = c.Route == Domain.Classification.Routes.Auto ? "auto" : "escalate",
                    },
                ],
            ], cancellationToken);
        }
        return new AcknowledgeResult(sent);
    }
}
