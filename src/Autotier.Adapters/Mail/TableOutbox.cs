using Autotier.Application.Ports;
using Autotier.Domain.Mail;
using Azure;
using Azure.Data.Tables;

namespace Autotier.Adapters.Mail;

/// <summary>
/// Mail mode <c>outbox</c> (local runs and tests): mails are kept in a table instead of sent, and
/// <c>GET /api/dev/outbox?to=</c> lists them. One row per (recipient, idempotency key), so a
/// second send of the same key is a duplicate, as with ACS's Operation-Id.
/// </summary>
public sealed class TableOutbox(TableClient table, TimeProvider time) : IEmailSender, IDevOutbox
{
    public async Task<SendResult> SendAsync(MailMessage message, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var row = new TableEntity(Tables.TableKeys.Escape(message.To.ToLowerInvariant()), Tables.TableKeys.Escape(idempotencyKey))
        {
            ["To"] = message.To,
            ["ReplyTo"] = message.ReplyTo,
            ["Subject"] = message.Subject,
            ["Text"] = message.Text,
            ["Html"] = message.Html,
            ["SentAt"] = time.GetUtcNow(),
        };
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
            return new SendResult(Duplicate: false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return new SendResult(Duplicate: true);
        }
    }

    public async Task<IReadOnlyList<OutboxMail>> ListAsync(string recipient, CancellationToken cancellationToken)
    {
        var mails = new List<OutboxMail>();
        var partition = Tables.TableKeys.Escape(recipient.Trim().ToLowerInvariant());
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            mails.Add(new OutboxMail(
                row.GetString("To"), row.GetString("ReplyTo"), row.GetString("Subject"), row.GetString("Text"), row.GetString("Html"),
                row.GetDateTimeOffset("SentAt") ?? DateTimeOffset.MinValue));
        }
        return [.. mails.OrderBy(m => m.SentAt)];
    }
}
