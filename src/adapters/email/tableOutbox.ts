import type { TableClient } from '@azure/data-tables';

import type { EmailSender, Outbox, OutgoingMail, SendResult, SentMail } from '../../ports/emailSender';
import { isRestError, odataString } from '../tables/tableNames';

/**
 * Local mail: instead of sending, keep each mail in a table so that `GET /api/dev/outbox` (and
 * tests, and a second process) can read what the app would have sent. Keyed by idempotency key,
 * so a retried activity never files the same mail twice.
 */
export class TableOutbox implements EmailSender, Outbox {
  constructor(
    private readonly table: TableClient,
    private readonly now: () => Date = () => new Date(),
    /** The support mailbox every mail names as Reply-To, as the real senders do. */
    private readonly replyTo?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<SendResult> {
    const to = mail.to.toLowerCase();
    try {
      await this.table.createEntity({
        partitionKey: to,
        rowKey: mail.idempotencyKey,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // The pictures' names only: the outbox shows what was sent, not a copy of every image.
        ...(mail.images?.length ? { images: JSON.stringify(mail.images.map((i) => i.name)) } : {}),
        sentAt: this.now().toISOString(),
        ...(this.replyTo ? { replyTo: this.replyTo } : {}),
      });
      return { messageId: mail.idempotencyKey, duplicate: false };
    } catch (err) {
      if (isRestError(err, 409)) return { messageId: mail.idempotencyKey, duplicate: true };
      throw err;
    }
  }

  async list(to: string): Promise<SentMail[]> {
    const filter = `PartitionKey eq ${odataString(to.toLowerCase())}`;
    const rows: { mail: SentMail; written: string }[] = [];
    for await (const row of this.table.listEntities<Omit<SentMail, 'to' | 'images'> & { images?: string }>({
      queryOptions: { filter },
    })) {
      rows.push({
        mail: {
          to: row.partitionKey ?? to,
          subject: row.subject,
          text: row.text,
          html: row.html,
          ...(row.images ? { imageNames: JSON.parse(row.images) as string[] } : {}),
          ...(row.replyTo ? { replyTo: row.replyTo } : {}),
          sentAt: row.sentAt,
        },
        written: row.timestamp ?? '',
      });
    }
    // Mails filed in the same instant keep the order they were written in.
    return rows
      .sort((a, b) => a.mail.sentAt.localeCompare(b.mail.sentAt) || a.written.localeCompare(b.written))
      .map((r) => r.mail);
  }
}
