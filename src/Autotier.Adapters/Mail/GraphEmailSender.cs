using Autotier.Application.Ports;
using Autotier.Domain.Mail;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.SendMail;

namespace Autotier.Adapters.Mail;

/// <summary>
/// Mail mode <c>graph</c>: sends from the MSP's own Microsoft 365 support mailbox through the Graph
/// SDK (<c>POST /users/{mailbox}/sendMail</c>, application permission Mail.Send limited to that
/// mailbox), so requesters see the address they already write to and replies land where intake
/// reads. Graph answers 202 and keeps no idempotency key: the ledger does. Throttling (429 with
/// Retry-After) and 5xx are retried by the SDK's retry handler; a refusal (403 without Mail.Send)
/// fails the send with Graph's status and error code.
/// </summary>
public sealed class GraphEmailSender(GraphServiceClient graph, string mailbox, TableSendLedger ledger, TimeProvider time) : IEmailSender
{
    public async Task<SendResult> SendAsync(MailMessage message, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await ledger.HasAsync(idempotencyKey, cancellationToken)) return new SendResult(Duplicate: true);
        var mail = new Message
        {
            Subject = message.Subject,
            Body = new ItemBody { ContentType = BodyType.Html, Content = message.Html },
            ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = message.To } }],
            // Replies go to the support mailbox the intake reads: the sender itself unless the mail says otherwise.
            ReplyTo = [new Recipient { EmailAddress = new EmailAddress { Address = message.ReplyTo ?? mailbox } }],
        };
        try
        {
            await graph.Users[mailbox].SendMail.PostAsync(new SendMailPostRequestBody { Message = mail, SaveToSentItems = true }, cancellationToken: cancellationToken);
        }
        catch (ODataError e)
        {
            // Graph's message can quote the mailbox or the recipient: the status and code say enough.
            var code = e.Error?.Code is { Length: > 0 and <= 60 } c ? $" ({c})" : "";
            throw new MailSendException($"Graph did not send mail: HTTP {e.ResponseStatusCode}{code}", e) { Status = e.ResponseStatusCode };
        }
        await ledger.RecordAsync(idempotencyKey, "graph", null, "accepted", time.GetUtcNow(), cancellationToken);
        return new SendResult(Duplicate: false);
    }
}
