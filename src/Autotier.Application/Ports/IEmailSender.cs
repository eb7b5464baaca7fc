using Autotier.Domain.Mail;

namespace Autotier.Application.Ports;

public interface IEmailSender
{
    /// <summary>
    /// Sends one mail. The same <paramref name="idempotencyKey"/> twice sends it once (an activity or a
    /// request may run again after a send that went through); the result says which happened.
    /// </summary>
    Task<SendResult> SendAsync(MailMessage message, string idempotencyKey, CancellationToken cancellationToken);
}

public sealed record SendResult(bool Duplicate);

/// <summary>Local runs only: the mails the app would have sent.</summary>
public interface IDevOutbox
{
    Task<IReadOnlyList<OutboxMail>> ListAsync(string recipient, CancellationToken cancellationToken);
}

public sealed record OutboxMail(string To, string? ReplyTo, string Subject, string Text, string Html, DateTimeOffset SentAt);
