namespace Autotier.Domain.Mail;

/// <summary>
/// A mail to send: one recipient, a subject that is a single line, and the same paragraphs as
/// plain text and as escaped HTML.
/// </summary>
/// <param name="ReplyTo">Where replies should go, when not to the sender; null for the sender.</param>
public sealed record MailMessage(string To, string Subject, string Text, string Html, string? ReplyTo = null)
{
    /// <summary>Pictures the HTML shows through <c>cid:</c> links (a guide's screenshots); null for none.</summary>
    public IReadOnlyList<InlineImage>? Images { get; init; }
}
