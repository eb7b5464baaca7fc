namespace Autotier.Adapters.Mail;

/// <summary>
/// A mail service refused or failed a send. The message names the service, the operation id and its
/// status or error code, never the recipient, the body, a key or a token.
/// </summary>
public sealed class MailSendException : Exception
{
    public MailSendException() { }

    public MailSendException(string message) : base(message) { }

    public MailSendException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The HTTP status the service answered, when it answered one.</summary>
    public int? Status { get; init; }
}
