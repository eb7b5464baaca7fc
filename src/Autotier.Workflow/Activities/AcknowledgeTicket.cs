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
public sealed class AcknowledgeTicket(ITicketStore tickets, IClientStore clients, IEmailSender mail, IPsa? psa = null, IOutcomeLog? outcomes = null)
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
        await OpenInPsaAsync(ticket, input.At, cancellationToken);
        return new AcknowledgeResult(sent);
    }

    /// <summary>
    /// The PSA is the MSP's system of record: a ticket that came by mail, the portal or the API is
    /// opened there at once (once; see PsaWriteBack). A PSA that is down must not hold the ticket
    /// up: the timeline says so and the first write-back opens it.
    /// </summary>
    private async Task OpenInPsaAsync(Domain.Tickets.Ticket ticket, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (psa is null) return;
        try
        {
            await psa.OpenAsync(ticket.TicketId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's own message may quote a PSA answer; only the PSA error's (vendor, method, path, status) is shown.
            var why = e is Application.Psa.PsaApiException ? e.Message : e.GetType().Name;
            await tickets.AppendTimelineAsync(ticket.TicketId,
                new TimelineEntry("psa-open-failed", at, null, $"Could not open the ticket in the PSA yet ({why}); the next write-back tries again"), cancellationToken);
        }
    }
}
