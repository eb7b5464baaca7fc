import type { TableClient } from '@azure/data-tables';

import type { DeliveryLedger } from '../../ports/emailSender';
import { safeRowKey, tryGetEntity } from '../tables/tableNames';

/**
 * Which mails a sender has handed over, by idempotency key. Neither ACS (which remembers a
 * repeated request for minutes) nor Graph sendMail (which remembers nothing) can tell a retried
 * Durable activity, hours later, that its mail already went.
 */
export class SendLedger implements DeliveryLedger {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async has(key: string): Promise<boolean> {
    return (await tryGetEntity(this.table, 'sent', safeRowKey(key))) !== undefined;
  }

  async record(key: string, details: Record<string, string>): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: 'sent', rowKey: safeRowKey(key), key, ...details, at: new Date().toISOString() },
      'Replace',
    );
    // Delivery reports name the send by its operation id.
    if (details.operationId)
      await this.table.upsertEntity(
        { partitionKey: 'operation', rowKey: safeRowKey(details.operationId), key },
        'Replace',
      );
  }

  /** The idempotency key of the mail an ACS operation sent, if it went through this ledger. */
  async keyOf(operationId: string): Promise<string | undefined> {
    return (await tryGetEntity<{ key: string }>(this.table, 'operation', safeRowKey(operationId)))?.key;
  }

  /** Records what the delivery report said about a mail. */
  async delivered(key: string, status: string, detail: string): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: 'sent',
        rowKey: safeRowKey(key),
        delivery: status,
        deliveryDetail: detail.slice(0, 1000),
      },
      'Merge',
    );
  }
}
