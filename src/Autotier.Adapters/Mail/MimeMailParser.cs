using Autotier.Application.Mail;
using Autotier.Domain.Mail;
using MimeKit;

namespace Autotier.Adapters.Mail;

/// <summary>
/// Raw MIME (RFC 5322) through MimeKit: charsets, encoded words, multipart alternatives. The
/// sender's own text part is preferred; without one, the HTML part is sanitized and read as text
/// within <see cref="HtmlLimits"/>. Runs in the mail queue's function, never on an HTTP request.
/// </summary>
public sealed class MimeMailParser(HtmlLimits limits) : IMailParser
{
    /// <summary>Text read from a text part at most (the ticket keeps 20,000 characters of it).</summary>
    public const int MaxTextChars = 100_000;

    public MimeMailParser() : this(HtmlLimits.Default) { }

    // ISO-2022-JP, Windows-1252 and the other legacy charsets mail still uses are not built into
    // .NET: MimeKit finds them once the code pages provider is registered.
    static MimeMailParser() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    public InboundMail Parse(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(mime.ToArray(), writable: false);
            message = MimeMessage.Load(stream, cancellationToken);
        }
        catch (ParseException)
        {
            throw new FormatException("it is not a MIME message");
        }
        using (message)
        {
            var from = message.From.Mailboxes.FirstOrDefault(m => m.Address is { Length: > 0 } a && a.Contains('@', StringComparison.Ordinal))
                ?? throw new FormatException("the mail has no From address");
            var recipients = message.To.Mailboxes.Concat(message.Cc.Mailboxes)
                .Select(m => m.Address?.ToLowerInvariant())
                .OfType<string>()
                .Where(a => a.Contains('@', StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .Take(50)
                .ToList();
            var (text, cut) = TextOf(message, cancellationToken);
            return new InboundMail(
                message.MessageId is { Length: > 0 } id ? id : null,
                message.InReplyTo is { Length: > 0 } inReplyTo ? inReplyTo.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0] : null,
                [.. message.References.Where(r => r.Length > 0).TakeLast(50)],
                from.Address.ToLowerInvariant(),
                string.IsNullOrWhiteSpace(from.Name) ? null : from.Name,
                recipients,
                message.Subject ?? "",
                text,
                IsAutomatic(message.Headers)) { Cut = cut, Attachments = AttachmentsOf(message, cancellationToken) };
        }
    }

    private (string Text, bool Cut) TextOf(MimeMessage message, CancellationToken cancellationToken)
    {
        var plain = message.TextBody;
        if (!string.IsNullOrWhiteSpace(plain))
            return plain.Length <= MaxTextChars ? (plain.Trim(), false) : (plain[..MaxTextChars].Trim() + "\n\n" + BoundedHtmlText.CutNote, true);
        var html = message.HtmlBody;
        if (string.IsNullOrWhiteSpace(html)) return ("", false);
        return BoundedHtmlText.ToText(html, limits, cancellationToken);
    }

    private static List<MailAttachment> AttachmentsOf(MimeMessage message, CancellationToken cancellationToken)
    {
        var files = new List<MailAttachment>();
        foreach (var part in message.Attachments.OfType<MimePart>().Where(p => p.IsAttachment && p.Content is not null).Take(20))
        {
            using var content = new MemoryStream();
            part.Content!.DecodeTo(content, cancellationToken);
            var name = part.FileName is { Length: > 0 } n ? n : "attachment";
            name = new string([.. name.Select(c => c is '/' or '\\' or '\0' || char.IsControl(c) ? '_' : c)]);
            files.Add(new MailAttachment(name.Length > 200 ? name[..200] : name, part.ContentType.MimeType, content.ToArray()));
        }
        return files;
    }

    /// <summary>Out-of-office and other automatic mail: RFC 3834 Auto-Submitted, Precedence, X-Autoreply.</summary>
    private static bool IsAutomatic(HeaderList headers)
    {
        var autoSubmitted = (headers[HeaderId.AutoSubmitted] ?? "").Trim().ToLowerInvariant();
        if (autoSubmitted.Length > 0 && autoSubmitted != "no") return true;
        var precedence = (headers["Precedence"] ?? "").Trim().ToLowerInvariant();
        if (precedence is "bulk" or "junk" or "list" or "auto_reply") return true;
        return headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond");
    }
}
