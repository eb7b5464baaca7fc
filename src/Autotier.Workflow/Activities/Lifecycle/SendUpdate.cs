using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Mail;
using Autotier.Domain.Tickets;

namespace Autotier.Workflow.Activities.Lifecycle;

using Ticket = Autotier.Domain.Tickets.Ticket;

/// <summary>A status mail to the requester, keyed by step; the timeline notes what they were told.</summary>
public sealed class SendUpdate(TicketKit kit)
{
    public async Task<bool> RunAsync(UpdateInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ticket = await kit.LoadAsync(input.TicketId, cancellationToken);
        var client = await kit.ClientAsync(ticket.ClientId, cancellationToken);
        var message = Compose(ticket, client, input);
        if (message is null) return false;
        await kit.SendAsync(ticket, input.Step, message, cancellationToken);
        var subject = message.Subject.StartsWith("[#", StringComparison.Ordinal) && message.Subject.IndexOf("] ", StringComparison.Ordinal) is var end and > 0
            ? message.Subject[(end + 2)..]
            : message.Subject;
        await kit.NoteAsync(ticket.TicketId, $"mail-{input.Step}", input.At, null, $"Told the requester: {subject}", cancellationToken);
        return true;
    }

    private MailMessage? Compose(Ticket ticket, ClientProfile client, UpdateInput input)
    {
        ConfirmLinks Links()
        {
            var (yes, no) = kit.Links.ConfirmLinks(ticket.TicketId, $"{ticket.TicketId}.{input.Step}", input.At);
            return new ConfirmLinks(yes, no);
        }
        IReadOnlyList<string> Ratings() => kit.Links.RatingLinks(ticket.TicketId, input.Step, input.At);
        var guideTitle = ticket.Guide?.Title ?? ticket.Attempted;
        return input.Kind switch
        {
            UpdateKind.Reminder => guideTitle is null ? null : LifecycleMessages.Reminder(ticket, guideTitle, Links()),
            UpdateKind.Clarify => input.Stage == Stage.AwaitingConfirmation && guideTitle is not null
                ? LifecycleMessages.Clarify(ticket, guideTitle, Links())
                : LifecycleMessages.ClarifyAfterClose(ticket),
            UpdateKind.ClarifyUncertain => LifecycleMessages.ClarifyUncertain(ticket, ticket.Classification?.Question ?? DefaultQuestion),
            UpdateKind.Resolved => LifecycleMessages.Resolved(ticket, input.Text ?? ticket.Attempted ?? "the steps we sent", Ratings()),
            UpdateKind.ResolvedByEngineer => LifecycleMessages.ResolvedByEngineer(ticket, input.Text, Ratings()),
            UpdateKind.Escalated => LifecycleMessages.Escalated(ticket, Promise(input.Sla, ticket, client), input.Text),
            UpdateKind.HandedUp => LifecycleMessages.HandedUp(ticket),
            UpdateKind.Plan => LifecycleMessages.Plan(ticket, input.Text),
            UpdateKind.ClosedUnconfirmed => LifecycleMessages.ClosedUnconfirmed(ticket, Ratings()),
            UpdateKind.Reopened => LifecycleMessages.Reopened(ticket),
            UpdateKind.ProofRequest => ProofMessages.ConfirmAddress(ticket, kit.Links.ProofLink(ticket.TicketId, $"{ticket.TicketId}.{input.Step}", input.At)),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.Kind, "unknown update kind"),
        };
    }

    /// <summary>Asked when the classifier had no question of its own for an uncertain ticket.</summary>
    public const string DefaultQuestion = "Could you tell us a little more about what is happening, and what you see on the screen when it goes wrong?";

    /// <summary>
    /// What the escalation mail promises: the response due time while no person has answered
    /// (P1: 15 minutes), then the resolution time; in the client's time zone.
    /// </summary>
    private static EscalationPromise Promise(SlaView? sla, Ticket ticket, ClientProfile client) => new(
        sla?.ResponseDue, sla?.ResolutionDue, ticket.RespondedAt is not null, client.BusinessHours.TimeZone);
}
