import type { TableClient } from '@azure/data-tables';

import type { GraphSubscription } from '../graph/graphMail';
import { isRestError } from './tableNames';

/** The Graph subscription this deployment holds (one row). */
export class TableSubscriptionStore {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async get(): Promise<GraphSubscription | undefined> {
    try {
      const row = await this.table.getEntity<{ subscriptionId: string; expiresAt: string }>('graph', 'mail');
      return { id: row.subscriptionId, expiresAt: row.expiresAt };
    } catch (err) {
      if (isRestError(err, 404)) return undefined;
      throw err;
    }
  }

  async put(s: GraphSubscription): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: 'graph', rowKey: 'mail', subscriptionId: s.id, expiresAt: s.expiresAt },
      'Replace',
    );
  }
}
