import type { TableClient, TransactionAction } from '@azure/data-tables';

import type { TokenStore } from '../../ports/tokenStore';
import { isRestError, odataString, safeRowKey } from './tableNames';

const FOREVER = 'used';
/** Nonces that expire live in one partition per expiry day, so forgetting them is a range delete. */
const dayPartition = (at: Date) =>
  `used|${new Date(Math.ceil(at.getTime() / 86_400_000) * 86_400_000).toISOString().slice(0, 10)}`;

export class TableTokenStore implements TokenStore {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async use(nonce: string, expiresAt?: Date): Promise<boolean> {
    try {
      await this.table.createEntity({
        partitionKey: expiresAt ? dayPartition(expiresAt) : FOREVER,
        rowKey: safeRowKey(nonce),
      });
      return true;
    } catch (err) {
      if (isRestError(err, 409)) return false;
      throw err;
    }
  }

  async forget(nonce: string, expiresAt?: Date): Promise<void> {
    try {
      await this.table.deleteEntity(expiresAt ? dayPartition(expiresAt) : FOREVER, safeRowKey(nonce));
    } catch (err) {
      if (!isRestError(err, 404)) throw err;
    }
  }

  async sweep(now: Date): Promise<number> {
    const today = `used|${now.toISOString().slice(0, 10)}`;
    const filter = `PartitionKey gt ${odataString('used|')} and PartitionKey le ${odataString(today)}`;
    const byPartition = new Map<string, string[]>();
    for await (const row of this.table.listEntities({
      queryOptions: { filter, select: ['PartitionKey', 'RowKey'] },
    })) {
      const pk = row.partitionKey ?? '';
      byPartition.set(pk, [...(byPartition.get(pk) ?? []), row.rowKey ?? '']);
    }
    let deleted = 0;
    for (const [partitionKey, rowKeys] of byPartition) {
      for (let i = 0; i < rowKeys.length; i += 100) {
        const actions: TransactionAction[] = rowKeys
          .slice(i, i + 100)
          .map((rowKey) => ['delete', { partitionKey, rowKey }]);
        await this.table.submitTransaction(actions);
        deleted += actions.length;
      }
    }
    return deleted;
  }
}
