import { createHash } from 'node:crypto';

import type { TableClient } from '@azure/data-tables';

import type { ReviewStore } from '../../ports/reviewStore';

/** One row per distinct payload (keyed by its hash), so a retried message is kept once. */
export class TableReviewStore implements ReviewStore {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async keep(item: { source: string; reason: string; raw: string; receivedAt: string }): Promise<void> {
    const rowKey = createHash('sha256').update(item.raw).digest('hex');
    await this.table.upsertEntity(
      {
        partitionKey: item.source,
        rowKey,
        reason: item.reason,
        raw: item.raw.slice(0, 30_000),
        receivedAt: item.receivedAt,
      },
      'Replace',
    );
  }

  async list() {
    const out: { source: string; reason: string; raw: string; receivedAt: string }[] = [];
    for await (const row of this.table.listEntities<{ reason: string; raw: string; receivedAt: string }>()) {
      out.push({
        source: row.partitionKey ?? '',
        reason: row.reason,
        raw: row.raw,
        receivedAt: row.receivedAt,
      });
    }
    return out;
  }
}
