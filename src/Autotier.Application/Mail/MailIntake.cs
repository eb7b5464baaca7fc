using System.Text.Json;
using Autotier.Application.Lifecycle;
using Autotier.Application.Ports;
using Autotier.Application.Tickets;
using Autotier.Application.Webhooks;
using Autotier.Domain.Intake;
using Autotier.Domain.Mail;
using Autotier.Domain.Text;
using Autotier.Domain.Tickets;
using Microsoft.Extensions.Logging;

namespace Autotier.Application.Mail;

/// <summary>The mail intake's settings: autotier's own addresses (mail from them is never taken in: no loops).</summary>
public sealed record MailIntakeSettings(IReadOnlyList<string> OwnAddresses);

/// <summary>What became of one mail.</summary>
public sealed record MailOutcome(string Kind, string? TicketId, string? Reason)
{
    public static MailOutcome Ignored(string reason) => new("ignored", null, reason);

    public static MailOutcome Review(string reason) => new("review", null, reason);
}

/// <summary>
/// Takes one accepted mail in, from the mail queue (the TypeScript processIntake's mail half and
/// placeMail): parsed (bounded), then a reply to its ticket's workflow, a new ticket, kept for
/// review, or left alone. Idempotent: a mail delivered twice makes one ticket or one reply (tickets
/// are keyed by <c>mail:&lt;Message-ID&gt;</c>, and a Message-ID already threaded is not taken in again).
/// </summary>
public sealed partial class MailIntake(
    IMailStore store,
    IMailThreads threads,
    IReviewStore review,
    IMailParser parser,
    IClientDomains domains,
    ITicketStore tickets,
    TicketIntake intake,
    TicketEventIntake events,
    MailIntakeSettings settings,
    ILogger<MailIntake> logger,
    IGraphMailbox? graph = null)
{
    public async Task<MailOutcome> HandleAsync(MailIntakeMessage message, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(workflow);
        var blob = message.Blob;
        byte[]? bytes;
        if (message.Source == "graph")
        {
            if (graph is null || message.GraphMessageId is not { Length: > 0 } id)
                return await KeepAsync(message, null, "a Graph notification without a message, or Graph is not configured", cancellationToken);
            bytes = await graph.GetMimeAsync(id, cancellationToken);
            if (bytes is null) return Done(message, MailOutcome.Ignored("the message is no longer in the mailbox"));
            blob = await store.PutRawAsync(bytes, cancellationToken);
        }
        else
        {
            bytes = blob is null ? null : await store.GetRawAsync(blob, cancellationToken);
            if (bytes is null) return await KeepAsync(message, blob, "the mail is not in a readable blob", cancellationToken);
        }

        InboundMail mail;
        try
        {
            mail = parser.Parse(bytes, cancellationToken);
        }
        catch (FormatException e)
        {
            return await KeepAsync(message, blob, "the mail could not be read: " + e.Message, cancellationToken);
        }
        if (mail.MessageId is { } seen && await threads.FindAsync(seen, cancellationToken) is not null)
            return Done(message, MailOutcome.Ignored("this mail was taken in before"));

        var outcome = await PlaceAsync(mail, message, workflow, cancellationToken);
        if (outcome.Kind == "review") return await KeepAsync(message, blob, outcome.Reason!, cancellationToken);
        return Done(message, outcome);
    }

    private async Task<MailOutcome> PlaceAsync(InboundMail mail, MailIntakeMessage message, ITicketWorkflow workflow, CancellationToken cancellationToken)
    {
        var own = new HashSet<string>(settings.OwnAddresses.Select(a => a.ToLowerInvariant()), StringComparer.Ordinal);
        if (own.Contains(mail.FromEmail)) return MailOutcome.Ignored("sent by autotier itself");
        if (mail.Automatic) return MailOutcome.Ignored("an automatic reply (out of office or similar)");
        var thread = await ThreadOfAsync(mail, cancellationToken);
        // People the requester wrote to (To, Cc) may answer for the ticket; autotier itself may not.
        IReadOnlyList<string> Others(string requester) =>
            [.. mail.Recipients.Where(a => !own.Contains(a) && !string.Equals(a, requester.ToLowerInvariant(), StringComparison.Ordinal))];

        if (thread is not null)
        {
            // "Thanks, fixed!" from someone who was never on the thread must not close another's ticket.
            if (!thread.MayAnswer(mail.FromEmail))
                return MailOutcome.Review($"a reply to {thread.TicketId} from {mail.FromEmail}, who is neither its requester nor on its thread");
            var text = Cut(TicketText.Clean(mail.Text, keepInlineQuotes: true).Text, Domain.Lifecycle.TicketEventRequest.MaxReplyChars);
            var body = JsonSerializer.SerializeToElement(new Dictionary<string, string>
            {
                ["type"] = "reply",
                ["from"] = mail.FromEmail,
                ["text"] = text.Length > 0 ? text : "(no text)",
            });
            var result = await events.PostAsync(thread.TicketId, body, workflow, cancellationToken, Channel.Email);
            switch (result)
            {
                case EventResult.Accepted:
                    var participants = string.Equals(mail.FromEmail, thread.Requester.Email, StringComparison.OrdinalIgnoreCase) ? Others(thread.Requester.Email) : [];
                    if (participants.Count > 0)
                        await tickets.UpdateAsync(thread.TicketId, t =>
                        {
                            var merged = (t.Participants ?? []).Union(participants, StringComparer.Ordinal).ToList();
                            return merged.Count == (t.Participants?.Count ?? 0) ? null : t with { Participants = merged };
                        }, cancellationToken);
                    await KeepAttachmentsAsync(mail, thread.TicketId, cancellationToken);
                    if (mail.MessageId is { } replyId) await threads.RememberAsync(replyId, thread.TicketId, cancellationToken);
                    return new MailOutcome("reply", thread.TicketId, null);
                case EventResult.FollowedUp followUp:
                    await KeepAttachmentsAsync(mail, followUp.FollowUpTicketId, cancellationToken);
                    if (mail.MessageId is { } followId) await threads.RememberAsync(followId, followUp.FollowUpTicketId, cancellationToken);
                    return new MailOutcome("ticket", followUp.FollowUpTicketId, $"a follow-up of {thread.TicketId}");
                case EventResult.Refused refused:
                    return MailOutcome.Review($"a reply to {thread.TicketId} was refused: {refused.Error}");
                default:
                    throw new InvalidOperationException("unknown event result");
            }
        }

        var domain = InboundMailRules.DomainOf(mail.FromEmail);
        // Only listed domains: a mailbox anyone can write to must not turn anyone's mail into work.
        var client = await domains.FindByMailDomainAsync(domain, cancellationToken);
        if (client is null) return MailOutcome.Review($"no client has the mail domain {domain}");
        var subject = Cut(TextRules.SingleLine(InboundMailRules.CleanSubject(mail.Subject)), 200);
        if (subject.Length == 0) subject = "(no subject)";
        var name = Cut(TextRules.SingleLine(mail.FromName ?? ""), 200);
        // A forward keeps everything: the forwarded mail is the ticket. A new mail loses only quoted history.
        var ownWords = InboundMailRules.IsForward(mail.Subject) ? mail.Text.Trim() : TicketText.Clean(mail.Text, keepInlineQuotes: true).Text;
        if (ownWords.Length == 0) ownWords = mail.Text.Trim();
        var others = Others(mail.FromEmail);
        var input = new NewTicket(
            client.ClientId,
            new Requester(name.Length > 0 ? name : null, mail.FromEmail),
            subject,
            Cut(ownWords.Length > 0 ? ownWords : subject, NewTicketRequest.MaxBodyChars),
            Cut("mail:" + (mail.MessageId is { } id ? InboundMailRules.NormalizeMessageId(id) : message.EventId), 500),
            Channel.Email)
        {
            Participants = others.Count > 0 ? others : null,
        };
        var ticket = await intake.FileAsync(input, client, workflow, cancellationToken);
        await KeepAttachmentsAsync(mail, ticket.TicketId, cancellationToken);
        if (mail.MessageId is { } newId) await threads.RememberAsync(newId, ticket.TicketId, cancellationToken);
        return new MailOutcome("ticket", ticket.TicketId, null);
    }

    /// <summary>Keeps a mail's attached files with its ticket (a redelivery adds none twice).</summary>
    private async Task KeepAttachmentsAsync(InboundMail mail, string ticketId, CancellationToken cancellationToken)
    {
        if (mail.Attachments.Count == 0) return;
        var kept = new List<TicketAttachment>();
        foreach (var a in mail.Attachments)
            kept.Add(new TicketAttachment(a.Filename, a.ContentType, a.Content.Length, await store.PutAttachmentAsync(ticketId, a, cancellationToken)));
        await tickets.UpdateAsync(ticketId, t =>
        {
            var have = (t.Attachments ?? []).Select(a => a.Blob).ToHashSet(StringComparer.Ordinal);
            var added = kept.Where(a => !have.Contains(a.Blob)).ToList();
            return added.Count == 0 ? null : t with { Attachments = [.. t.Attachments ?? [], .. added] };
        }, cancellationToken);
    }

    /// <summary>The ticket a reply belongs to: In-Reply-To, then References (newest first), then the subject token.</summary>
    private async Task<Ticket?> ThreadOfAsync(InboundMail mail, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        if (mail.InReplyTo is { Length: > 0 } inReplyTo) ids.Add(inReplyTo);
        ids.AddRange(mail.References.Reverse().Take(20));
        foreach (var id in ids)
        {
            var ticketId = await threads.FindAsync(id, cancellationToken);
            var ticket = ticketId is null ? null : await tickets.GetAsync(ticketId, cancellationToken);
            if (ticket is not null) return ticket;
        }
        var fromSubject = InboundMailRules.TicketIdFromSubject(mail.Subject);
        var byToken = fromSubject is null ? null : await tickets.GetAsync(fromSubject, cancellationToken);
        // A subject token alone is easy to type: it threads only mail from the requester's own domain.
        return byToken is not null && InboundMailRules.DomainOf(byToken.Requester.Email) == InboundMailRules.DomainOf(mail.FromEmail) ? byToken : null;
    }

    private async Task<MailOutcome> KeepAsync(MailIntakeMessage message, string? blob, string reason, CancellationToken cancellationToken)
    {
        // The one Review table of every channel (the webhooks' store): the mail's bytes stay in Blob.
        var source = message.Source == "graph" ? "graph" : "mail";
        await review.KeepAsync(
            new ReviewItem(ReviewItem.IdFor(source, message.EventId), source, message.EventId, reason, "", IsoTime.Format(message.ReceivedAt)) { Blob = blob },
            cancellationToken);
        return Done(message, MailOutcome.Review(reason));
    }

    private MailOutcome Done(MailIntakeMessage message, MailOutcome outcome)
    {
        // The reason can name an address: only the kind and the ticket go to the log.
        LogOutcome(logger, message.Source, message.EventId.Length > 16 ? message.EventId[..16] : message.EventId, outcome.Kind, outcome.TicketId ?? "-");
        return outcome;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "mail intake ({Source} {EventId}): {Kind} {TicketId}")]
    private static partial void LogOutcome(ILogger logger, string source, string eventId, string kind, string ticketId);
}
