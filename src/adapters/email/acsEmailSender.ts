import { createHash } from 'node:crypto';

import type { EmailClient, EmailMessage } from '@azure/communication-email';

import type { EmailSender, OutgoingMail, SendResult } from '../../ports/emailSender';
import type { SendLedger } from './sendLedger';

/** A stable GUID per idempotency key, sent as ACS's Operation-Id so both sides name the send alike. */
export function operationIdFor(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/**
 * Sends mail through Azure Communication Services. ACS remembers repeated requests for only a few
 * minutes, while a Durable activity may be retried much later, so a ledger row per idempotency key
 * records each mail that was accepted; a retry finds it and sends nothing.
 *
 * The send is fired, not watched: once ACS has accepted it (202; the SDK reads the status once
 * as it starts), the operation id is recorded and the activity ends. Polling its status every second would hold an activity open, cost calls,
 * and tell nothing more than ACS's own delivery reports. A throttled send (429) is retried by the
 * SDK honouring Retry-After, then fails the activity, whose retry policy waits longer.
 */
export class AcsEmailSender implements EmailSender {
  constructor(
    private readonly client: EmailClient,
    private readonly ledger: SendLedger,
    private readonly senderAddress: string,
    private readonly options: { replyTo?: string } = {},
  ) {}

  async send(mail: OutgoingMail): Promise<SendResult> {
    const operationId = operationIdFor(mail.idempotencyKey);
    if (await this.ledger.has(mail.idempotencyKey)) return { messageId: operationId, duplicate: true };
    const message: EmailMessage = {
      senderAddress: this.senderAddress,
      recipients: { to: [{ address: mail.to }] },
      ...(this.options.replyTo ? { replyTo: [{ address: this.options.replyTo }] } : {}),
      content: { subject: mail.subject, plainText: mail.text, html: mail.html },
      ...(mail.images?.length
        ? {
            attachments: mail.images.map((i) => ({
              name: i.name,
              contentType: i.contentType,
              contentInBase64: i.contentBase64,
              contentId: i.contentId,
            })),
          }
        : {}),
    };
    let status: string;
    try {
      const poller = await this.client.beginSend(message, { operationId });
      status = poller.getOperationState().status;
    } catch (err) {
      throw new Error(
        `ACS did not accept mail ${operationId}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (status === 'failed' || status === 'canceled')
      throw new Error(`ACS did not accept mail ${operationId}: ${status}`);
    await this.ledger.record(mail.idempotencyKey, { operationId, status: 'accepted' });
    return { messageId: operationId, duplicate: false };
  }
}
