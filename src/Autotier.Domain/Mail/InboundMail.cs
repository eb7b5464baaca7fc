using System.Text.RegularExpressions;

namespace Autotier.Domain.Mail;

/// <summary>One inbound mail, parsed and cleaned: no scripts, no remote images, text ready for a ticket.</summary>
public sealed record InboundMail(
    string? MessageId,
    string? InReplyTo,
    IReadOnlyList<string> References,
    string FromEmail,
    string? FromName,
    IReadOnlyList<string> Recipients,
    string Subject,
    string Text,
    bool Automatic)
{
    /// <summary>Whether the text was cut by the HTML limits (size, depth or time).</summary>
    public bool Cut { get; init; }

    /// <summary>Files attached to the mail (Content-Disposition attachment), at most 20.</summary>
    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];
}

/// <summary>One attached file; the name is safe to use in a blob path (no slashes, at most 200 characters).</summary>
public sealed record MailAttachment(string Filename, string ContentType, byte[] Content);

/// <summary>The mail rules of the TypeScript app's src/domain/mail.ts.</summary>
public static partial class InboundMailRules
{
    /// <summary>Largest mail accepted, attachments included.</summary>
    public const int MaxMailBytes = 25 * 1024 * 1024;

    /// <summary>Message-IDs compare without angle brackets, spaces or case.</summary>
    public static string NormalizeMessageId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var s = id.Trim();
        if (s.StartsWith('<')) s = s[1..];
        if (s.EndsWith('>')) s = s[..^1];
        return s.Trim().ToLowerInvariant();
    }

    [GeneratedRegex(@"\[#(T-\d{1,12})\]", RegexOptions.CultureInvariant)]
    private static partial Regex Token { get; }

    [GeneratedRegex(@"^\s*(re|fw|fwd|aw|wg|tr|sv|vs|antw)\s*(\[\d+\])?\s*:\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Prefix { get; }

    [GeneratedRegex(@"^\s*(fw|fwd|wg|tr)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForwardPrefix { get; }

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace { get; }

    /// <summary>The ticket a subject names with its <c>[#T-1234]</c> token.</summary>
    public static string? TicketIdFromSubject(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var m = Token.Match(subject);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>The subject a ticket gets: no Re:/Fwd: prefixes, no ticket token.</summary>
    public static string CleanSubject(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var s = Token.Replace(subject, " ", 1);
        for (var previous = ""; previous != s;)
        {
            previous = s;
            s = Prefix.Replace(s, "", 1);
        }
        return Whitespace.Replace(s, " ").Trim();
    }

    public static bool IsForward(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return ForwardPrefix.IsMatch(subject);
    }

    /// <summary>The domain of an address, lower case ("" without one).</summary>
    public static string DomainOf(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? "" : email[(at + 1)..].ToLowerInvariant();
    }
}
