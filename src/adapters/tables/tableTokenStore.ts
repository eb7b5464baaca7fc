import type { TableClient } from '@azure/data-tables';

import type { TokenStore } from '../../ports/tokenStore';
import { isRestError, safeRowKey } from './tableNames';

export class TableTokenStore implements TokenStore {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async use(nonce: string): Promise<boolean> {
    try {
      await this.table.createEntity({ partitionKey: 'used', rowKey: safeRowKey(nonce) });
      return true;
    } catch (err) {
      if (isRestError(err, 409)) return false;
      throw err;
    }
  }
}
