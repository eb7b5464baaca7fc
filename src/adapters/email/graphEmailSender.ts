import type { EmailSender, OutgoingMail, SendResult } from '../../ports/emailSender';
import type { RestClient } from '../http/restClient';
import type { SendLedger } from './sendLedger';

/**
 * Sends mail from the MSP's own Microsoft 365 support mailbox through Graph
 * (`POST /users/{mailbox}/sendMail`, application permission Mail.Send limited to that mailbox),
 * so requesters see the address they already write to and replies land where intake reads.
 * Graph answers 202 and keeps no idempotency key: the ledger does. Throttling (429 with
 * Retry-After) and 5xx are retried by the REST client; a refusal (403 without Mail.Send) fails
 * the activity with Graph's status.
 */
export class GraphEmailSender implements EmailSender {
  constructor(
    private readonly http: RestClient,
    private readonly mailbox: string,
    private readonly ledger: SendLedger,
    private readonly options: { replyTo?: string } = {},
  ) {}

  async send(mail: OutgoingMail): Promise<SendResult> {
    if (await this.ledger.has(mail.idempotencyKey))
      return { messageId: mail.idempotencyKey, duplicate: true };
    await this.http.json('POST', `/users/${encodeURIComponent(this.mailbox)}/sendMail`, {
      message: {
        subject: mail.subject,
        body: { contentType: 'HTML', content: mail.html },
        toRecipients: [{ emailAddress: { address: mail.to } }],
        ...(this.options.replyTo ? { replyTo: [{ emailAddress: { address: this.options.replyTo } }] } : {}),
        ...(mail.images?.length
          ? {
              attachments: mail.images.map((i) => ({
                '@odata.type': '#microsoft.graph.fileAttachment',
                name: i.name,
                contentType: i.contentType,
                contentBytes: i.contentBase64,
                contentId: i.contentId,
                isInline: true,
              })),
            }
          : {}),
      },
      saveToSentItems: true,
    });
    await this.ledger.record(mail.idempotencyKey, { via: 'graph' });
    return { messageId: mail.idempotencyKey, duplicate: false };
  }
}
