import type { TableClient } from '@azure/data-tables';

import type { Audience } from '../../domain/alerts';
import type { AlertDelivery, AlertDeliveryLedger } from '../../ports/alertDelivery';
import { safeRowKey, tryGetEntity } from './tableNames';

/**
 * The `AlertDeliveries` table: one row per alert and channel that went out, keyed by ticket and
 * (notification key, channel). A queue message comes back after any failure, and a webhook
 * cannot tell a repeated post from a new one: this is how a retry skips what already went.
 */
export class TableAlertDeliveries implements AlertDeliveryLedger {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async delivered(d: AlertDelivery): Promise<boolean> {
    return (await tryGetEntity(this.table, ...keys(d))) !== undefined;
  }

  async record(d: AlertDelivery, details: { audience: Audience; at: string }): Promise<void> {
    const [partitionKey, rowKey] = keys(d);
    await this.table.upsertEntity(
      {
        partitionKey,
        rowKey,
        ticketId: d.ticketId,
        notificationKey: d.notificationKey,
        channel: d.channel,
        audience: details.audience,
        deliveredAt: details.at,
      },
      'Replace',
    );
  }
}

function keys(d: AlertDelivery): [string, string] {
  return [safeRowKey(d.ticketId), safeRowKey(`${d.notificationKey}|${d.channel}`)];
}
