using Autotier.Application.Ports;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities;

public sealed record AcknowledgeInput(string TicketId, DateTimeOffset? AcknowledgedAt, DateTimeOffset At);

public sealed record AcknowledgeResult(bool Sent);

/// <summary>
/// The first response, recorded. Runs at least once: the mail goes out under the key
/// (ticket, "ack"), so a second run finds it sent, and the timeline line is keyed by its step.
/// When the intake already sent the mail (<c>AcknowledgedAt</c>), only the record is written.
/// </summary>
public sealed class AcknowledgeTicket(ITicketStore tickets, IClientStore clients, IEmailSender mail)
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
        return new AcknowledgeResult(sent);
    }
}
