using Autotier.Domain.Text;
using Autotier.Domain.Tickets;

namespace Autotier.Domain.Mail;

/// <summary>
/// "Is this you?": before a playbook changes someone's account (a licence, access, a Temporary
/// Access Pass) for a ticket that did not come from that person's own mailbox or a signed-in
/// portal session, the address must prove it is theirs by following a link sent to it.
/// </summary>
public static class ProofMessages
{
    public static MailMessage ConfirmAddress(Ticket ticket, string link)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        string[] paragraphs =
        [
            ticket.Requester.Name is { Length: > 0 } name && name.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? $"Hi {first}," : "Hello,",
            $"We can sort out your request \"{ticket.Subject}\" for you, but it changes your account, so we first need to check it was really you who asked.",
            $"If it was you, please open this link and press the button: {link}",
            "If you did not ask for this, you don't need to do anything: nothing will change, and we'll let our engineers know.",
            "Your IT support team",
        ];
        return new MailMessage(
            ticket.Requester.Email,
            TextRules.SingleLine(TicketIds.SubjectToken(ticket.TicketId) + " Please confirm it was you: " + ticket.Subject),
            string.Join("\n\n", paragraphs),
            Messages.ToHtml(paragraphs));
    }
}
