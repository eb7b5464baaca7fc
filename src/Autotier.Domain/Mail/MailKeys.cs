namespace Autotier.Domain.Mail;

/// <summary>Idempotency keys for a ticket's mails.</summary>
public static class MailKeys
{
    /// <summary>
    /// The key of a ticket's mail for one step. The intake and the workflow's activities name a mail
    /// alike, so whichever sends it first sends it, and the other finds it sent.
    /// </summary>
    public static string For(string ticketId, string step) => ticketId + "." + step;
}
