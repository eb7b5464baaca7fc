using System.Text;
using Autotier.Domain.Text;
using Autotier.Domain.Tickets;

namespace Autotier.Domain.Mail;

/// <summary>
/// The mails autotier sends requesters. Subject, text and HTML are byte for byte those of the
/// TypeScript messages.ts, so a mail does not change wording when the sender changes language.
/// </summary>
public static partial class Messages
{
    /// <summary>The first response: sent the moment a ticket arrives.</summary>
    public static MailMessage Acknowledgement(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Acknowledgement(
            ticket,
            $"We've got your request: {ticket.Subject}",
            $"Thanks for getting in touch. We've received your request \"{ticket.Subject}\" and it's now in our queue. Your reference number is {Reference(ticket)}.",
            ["We'll look at it straight away. If it's something we can sort out quickly, you'll hear from us in a few minutes with the steps. If it needs one of our engineers, we'll tell you who has it and when to expect an answer."]);
    }

    /// <summary>An acknowledgement's frame: greeting, what was received, what happens next, how to add more, the status page.</summary>
    private static MailMessage Acknowledgement(Ticket ticket, string subject, string received, IEnumerable<string> next)
    {
        var paragraphs = new List<string> { Greeting(ticket), received };
        paragraphs.AddRange(next);
        paragraphs.Add("If you want to add anything, just reply to this email and keep the reference in the subject.");
        if (!string.IsNullOrEmpty(ticket.StatusLink))
            paragraphs.Add($"You can follow it, answer and reply on its page too: {ticket.StatusLink}");
        paragraphs.Add("Your IT support team");
        return Mail(ticket, subject, paragraphs);
    }

    /// <summary>"T-1042", with the PSA's number when it is known: "T-1042 (ticket 601 with our service desk)".</summary>
    private static string Reference(Ticket ticket)
    {
        var deskNumber = ServiceDeskNumber(ticket);
        return ticket.TicketId + (string.IsNullOrEmpty(deskNumber) ? "" : $" (ticket {deskNumber} with our service desk)");
    }

    /// <summary>Paragraphs of plain text as mail HTML, escaped, line breaks kept.</summary>
    public static string ToHtml(IEnumerable<string> paragraphs) =>
        string.Join("\n", paragraphs.Select(p => "<p>" + EscapeHtml(p).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>"));

    private static MailMessage Mail(Ticket ticket, string subject, IReadOnlyList<string> paragraphs) => new(
        ticket.Requester.Email,
        // The last guard before a mail header: nothing here may break a line, even from a ticket
        // stored before intake checked subjects.
        TextRules.SingleLine(TicketIds.SubjectToken(ticket.TicketId) + " " + subject),
        string.Join("\n\n", paragraphs),
        ToHtml(paragraphs));

    /// <summary>"Hi Sam," from the first word of the name, or "Hello," without one.</summary>
    private static string Greeting(Ticket ticket) => Greeting(ticket.Requester.Name);

    private static string Greeting(string? name) => FirstName(name) is { } first ? $"Hi {first}," : "Hello,";

    /// <summary>The first word of a name; null when there is none.</summary>
    private static string? FirstName(string? name)
    {
        // The TS takes name.split(/\s+/)[0]: the text before the first white space, empty if the name starts with it.
        if (name is null) return null;
        var end = 0;
        while (end < name.Length && !JsText.IsWhiteSpace(name[end])) end++;
        return end > 0 ? name[..end] : null;
    }

    /// <summary>
    /// The ticket's number in the MSP's PSA: the ticket it came from, or the one autotier opened for
    /// it (known only after the acknowledgement, which never waits on the PSA).
    /// </summary>
    private static string? ServiceDeskNumber(Ticket ticket) => ticket.ExternalNumber ?? ticket.PsaTicket?.Number;

    private static string EscapeHtml(string s)
    {
        var escaped = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            } ?? c.ToString());
        }
        return escaped.ToString();
    }
}
