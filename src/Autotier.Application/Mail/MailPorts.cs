using Autotier.Domain.Clients;
using Autotier.Domain.Mail;

namespace Autotier.Application.Mail;

/// <summary>Raw mail in Blob storage, named by the SHA-256 of its bytes (<c>raw/&lt;sha256&gt;.eml</c>).</summary>
public interface IMailStore
{
    /// <summary>Stores the bytes (a second put of the same mail changes nothing) and returns the blob's name.</summary>
    Task<string> PutRawAsync(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken);

    /// <summary>Stores one attachment of a ticket (<c>attachments/&lt;ticketId&gt;/&lt;hash prefix&gt;-&lt;name&gt;</c>; the same file again changes nothing) and returns its blob's name.</summary>
    Task<string> PutAttachmentAsync(string ticketId, MailAttachment attachment, CancellationToken cancellationToken);

    /// <summary>The bytes of a stored mail, or null when there is no such blob.</summary>
    Task<byte[]?> GetRawAsync(string blob, CancellationToken cancellationToken);
}

/// <summary>Which ticket each Message-ID (ours and the requesters') belongs to.</summary>
public interface IMailThreads
{
    Task<string?> FindAsync(string messageId, CancellationToken cancellationToken);

    Task RememberAsync(string messageId, string ticketId, CancellationToken cancellationToken);
}

/// <summary>The mail intake queue (<c>&lt;AUTOTIER_INTAKE_QUEUE&gt;-mail</c>): the HTTP functions store and queue; the queue function parses.</summary>
public interface IMailInbox
{
    Task EnqueueAsync(MailIntakeMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// One accepted mail: <c>mail</c> (its raw MIME in Blob storage, <c>Blob</c>) or <c>graph</c> (a
/// message in the support mailbox, <c>GraphMessageId</c>; only the id is taken from the notification).
/// </summary>
public sealed record MailIntakeMessage(string Source, string EventId, string? Blob, string? GraphMessageId, DateTimeOffset ReceivedAt);

/// <summary>Parses raw MIME into an <see cref="InboundMail"/>, with bounded work whatever the mail holds.</summary>
public interface IMailParser
{
    /// <summary>Throws <see cref="FormatException"/> when the bytes are not a mail with a sender.</summary>
    InboundMail Parse(ReadOnlyMemory<byte> mime, CancellationToken cancellationToken);
}

/// <summary>The client whose profile lists a mail domain (only listed domains become tickets).</summary>
public interface IClientDomains
{
    Task<ClientProfile?> FindByMailDomainAsync(string domain, CancellationToken cancellationToken);
}

/// <summary>The support mailbox in Microsoft Graph: the configured mailbox only.</summary>
public interface IGraphMailbox
{
    /// <summary>A message's MIME (<c>GET /users/{mailbox}/messages/{id}/$value</c>), or null when it is gone.</summary>
    Task<byte[]?> GetMimeAsync(string messageId, CancellationToken cancellationToken);

    Task<GraphSubscription> SubscribeAsync(GraphSubscriptionRequest request, CancellationToken cancellationToken);

    /// <summary>The renewed subscription, or null when Graph no longer has it.</summary>
    Task<GraphSubscription?> RenewAsync(string id, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

public sealed record GraphSubscriptionRequest(string NotificationUrl, string LifecycleNotificationUrl, string ClientState, DateTimeOffset ExpiresAt);

public sealed record GraphSubscription(string Id, string Resource, DateTimeOffset ExpiresAt);

/// <summary>The support mailbox's one subscription.</summary>
public interface IGraphSubscriptionStore
{
    Task<GraphSubscription?> GetAsync(CancellationToken cancellationToken);

    Task PutAsync(GraphSubscription subscription, CancellationToken cancellationToken);
}
