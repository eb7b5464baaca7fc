using Autotier.Domain.Clients;
using Autotier.Domain.Lifecycle;
using Autotier.Domain.Mail;
using Autotier.Domain.Metrics;
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
        // A person's public reply or their fix answers the request; "an engineer is on it" does not.
        if (input.Kind == UpdateKind.ResolvedByEngineer || (input.Kind == UpdateKind.Plan && !string.IsNullOrWhiteSpace(input.Text)))
            await kit.RecordAsync(cancellationToken, TicketKit.Event(ticket, $"responded-{input.Step}", input.At, OutcomeKinds.Responded, input.Sla) with
            {
                By = "person",
                Via = input.Kind == UpdateKind.Plan ? "plan" : "resolution",
            });
        return true;
    }

    private MailMessage? Compose(Ticket ticket, ClientProfile client, UpdateInput input)
    {
        ConfirmLinks Links()
        {
            var (yes, no) = kit.Links.ConfirmLinks(ticket.TicketId, $"{ticket.TicketId}.{input.Step}", input.At);
            return new ConfirmLinks(yes, no);
        }
        RatingLinks Ratings() => kit.Links.RatingLinks(ticket.TicketId, input.Step, input.At) is [var poor, var notGreat, var ok, var good, var great]
            ? new RatingLinks(poor, notGreat, ok, good, great)
            : throw new InvalidOperationException("five rating links expected");
        GuideText? Guide() => ticket.Guide is { } g ? new GuideText(g.Title, g.Steps) : ticket.Attempted is { } title ? new GuideText(title, []) : null;
        // A security ticket's mails carry the containment advice for its kind and the MSP's emergency number.
        var security = SecurityAdvice.KindOf(ticket) is { } kind ? new SecurityNotice(kind, client.EmergencyPhone) : null;
        return input.Kind switch
        {
            UpdateKind.Reminder => Guide() is { } sent ? Messages.Reminder(ticket, sent, Links()) : null,
            UpdateKind.Clarify => input.Stage == Stage.AwaitingConfirmation && Guide() is { } asked
                ? Messages.Clarify(ticket, asked, Links())
                : Messages.ClarifyAfterClose(ticket),
            UpdateKind.ClarifyUncertain => Messages.ClarifyUncertain(ticket, ticket.Classification?.Question ?? DefaultQuestion, ticket.Classification?.Language),
            UpdateKind.Resolved => Messages.Resolved(ticket, input.Text ?? ticket.Attempted ?? "the steps we sent", Ratings()),
            UpdateKind.ResolvedByEngineer => Messages.ResolvedByEngineer(ticket, input.Text, Ratings()),
            UpdateKind.Escalated => Messages.Escalated(ticket, Promise(input.Sla, ticket, client, input.At), input.Text, security),
            UpdateKind.HandedUp => Messages.HandedUp(ticket, Promise(input.Sla, ticket, client, input.At)),
            UpdateKind.Plan => Messages.Plan(ticket, input.Text),
            UpdateKind.ClosedUnconfirmed => Messages.ClosedUnconfirmed(ticket, Ratings()),
            UpdateKind.Reopened => Messages.Reopened(ticket),
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
    /// <remarks>A response time already past (a "no" in the afternoon to a morning ticket) is never promised: the resolution time is.</remarks>
    private static EscalationPromise Promise(SlaView? sla, Ticket ticket, ClientProfile client, DateTimeOffset at) => new(
        sla?.ResponseDue > at ? sla.ResponseDue : null, sla?.ResolutionDue, ticket.RespondedAt is not null, client.BusinessHours.TimeZone);
}
