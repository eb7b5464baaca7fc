import { createHash } from 'node:crypto';

import type { TableClient } from '@azure/data-tables';

import type { RawCopies } from '../../ports/rawCopies';
import type { ReviewStore } from '../../ports/reviewStore';
import { isRestError } from './tableNames';

/** One row per distinct payload (keyed by its hash), so a retried message is kept once. */
export class TableReviewStore implements ReviewStore, RawCopies {
  readonly name = 'review entries';

  constructor(private readonly table: TableClient) {}

  /** Entries kept before `cutoff` (by the table's own Timestamp, which a sender cannot set). */
  async purgeBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    const filter = `Timestamp lt datetime'${cutoff.toISOString()}'`;
    for await (const row of this.table.listEntities({
      queryOptions: { filter, select: ['PartitionKey', 'RowKey'] },
    })) {
      try {
        await this.table.deleteEntity(row.partitionKey ?? '', row.rowKey ?? '');
        deleted++;
      } catch (err) {
        if (!isRestError(err, 404)) throw err;
      }
    }
    return deleted;
  }

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
