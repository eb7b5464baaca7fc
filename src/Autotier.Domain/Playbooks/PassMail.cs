using Autotier.Domain.Mail;
using Autotier.Domain.Text;
using Autotier.Domain.Tickets;

namespace Autotier.Domain.Playbooks;

/// <summary>
/// The one mail that carries a credential: the one-time pass, to the user's verified contact
/// address only (the TypeScript <c>temporaryAccessPassMail</c>, same wording).
/// </summary>
public static class PassMail
{
    public static MailMessage Create(string to, string? name, string pass, int minutes, string ticketId)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(pass);
        var first = FirstWord(name);
        string[] paragraphs =
        [
            first is not null ? $"Hi {first}," : "Hello,",
            $"You asked us for help getting into your work account (reference {ticketId}). Here is a one-time sign-in pass:",
            pass,
            $"It works once, within the next {minutes} minutes. Open https://aka.ms/mysecurityinfo, enter your work email address, and when asked for a password choose \"Use a Temporary Access Pass\" and type the pass above.",
            "We will never ask you to tell us this pass. If you didn't ask for help, don't use it, and reply to this email straight away so we can check your account.",
            "Your IT support team",
        ];
        return new(to, TextRules.SingleLine($"{TicketIds.SubjectToken(ticketId)} Your one-time sign-in pass"),
            string.Join("\n\n", paragraphs), Messages.ToHtml(paragraphs));
    }

    // As name.split(/\s+/)[0]: the text before the first white space; none when the name starts with it.
    private static string? FirstWord(string? name)
    {
        if (name is null) return null;
        var end = 0;
        while (end < name.Length && !JsText.IsWhiteSpace(name[end])) end++;
        return end > 0 ? name[..end] : null;
    }
}
