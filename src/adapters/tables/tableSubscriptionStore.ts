import type { TableClient } from '@azure/data-tables';

import type { GraphSubscription, SubscriptionStore } from '../../ports/graphMail';
import { tryGetEntity } from './tableNames';

/** The Graph subscription this deployment holds (one row). */
export class TableSubscriptionStore implements SubscriptionStore {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async get(): Promise<GraphSubscription | undefined> {
    const row = await tryGetEntity<{ subscriptionId: string; expiresAt: string }>(
      this.table,
      'graph',
      'mail',
    );
    return row && { id: row.subscriptionId, expiresAt: row.expiresAt };
  }

  async put(s: GraphSubscription): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: 'graph', rowKey: 'mail', subscriptionId: s.id, expiresAt: s.expiresAt },
      'Replace',
    );
  }
}
