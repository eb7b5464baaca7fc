import { createHash } from 'node:crypto';

import type { TableClient } from '@azure/data-tables';

import { normalizeMessageId } from '../../domain/mail';
import type { MailThreads } from '../../ports/mailStore';
import { tryGetEntity } from './tableNames';

const key = (messageId: string) => createHash('sha256').update(normalizeMessageId(messageId)).digest('hex');

/** Message-ID to ticket, one row per message (RK = SHA-256 of the normalized id: ids hold characters keys cannot). */
export class TableMailThreads implements MailThreads {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async find(messageId: string): Promise<string | undefined> {
    return (await tryGetEntity<{ ticketId: string }>(this.table, 'msg', key(messageId)))?.ticketId;
  }

  async remember(messageId: string, ticketId: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: 'msg', rowKey: key(messageId), ticketId }, 'Replace');
  }
}
