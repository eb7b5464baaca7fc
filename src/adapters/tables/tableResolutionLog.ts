import type { TableClient, TransactionAction } from '@azure/data-tables';

import { SOLVED } from '../../domain/resolution';
import type { ResolutionLog, ResolutionRecord } from '../../ports/resolutionLog';
import { isRestError, odataString } from './tableNames';

/** Index rows sort after every ticket id: `~solved|<newest first>|<ticket>|<outcome>`. */
const SOLVED_PREFIX = '~solved|';
const newestFirst = (at: string) => String(9_000_000_000_000_000 - Date.parse(at)).padStart(16, '0');
const recordKey = (entry: ResolutionRecord) => `${entry.ticketId}|${entry.outcome}`;
const indexKey = (entry: ResolutionRecord) =>
  `${SOLVED_PREFIX}${newestFirst(entry.at)}|${entry.ticketId}|${entry.outcome}`;
const MAX_CONCURRENCY_RETRIES = 5;

/**
 * One row per (client, ticket, outcome): recording the same outcome twice overwrites it. Solved
 * outcomes also get an index row keyed newest first, so the ticket path reads the latest solved
 * tickets as one bounded range instead of the client's whole partition. Both rows hold the whole
 * record, the reopened flag included.
 */
export class TableResolutionLog implements ResolutionLog {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async record(entry: ResolutionRecord): Promise<void> {
    const record = JSON.stringify(entry);
    const actions: TransactionAction[] = [
      ['upsert', { partitionKey: entry.clientId, rowKey: recordKey(entry), record }, 'Replace'],
    ];
    if (SOLVED.has(entry.outcome))
      actions.push(['upsert', { partitionKey: entry.clientId, rowKey: indexKey(entry), record }, 'Replace']);
    await this.table.submitTransaction(actions);
  }

  /**
   * The flag goes into the record's own row and its index row in one transaction, so
   * `recentSolved` stays one bounded range and says which records not to offer. The ticket's rows
   * (one per outcome) are read with their ETags: a record written meanwhile fails the transaction
   * (412) and the marking starts over rather than overwrite it with the older record.
   */
  async markReopened(ticketId: string, clientId: string, at: string): Promise<void> {
    const reopenedAt = Date.parse(at);
    const ticketRows = `PartitionKey eq ${odataString(clientId)} and RowKey ge ${odataString(`${ticketId}|`)} and RowKey lt ${odataString(`${ticketId}|~`)}`;
    for (let attempt = 0; attempt < MAX_CONCURRENCY_RETRIES; attempt++) {
      const actions: TransactionAction[] = [];
      for await (const row of this.table.listEntities<{ record: string }>({
        queryOptions: { filter: ticketRows },
      })) {
        const entry = JSON.parse(row.record) as ResolutionRecord;
        if (!SOLVED.has(entry.outcome) || entry.reopened || Date.parse(entry.at) > reopenedAt) continue;
        const record = JSON.stringify({ ...entry, reopened: true });
        actions.push(
          [
            'update',
            { partitionKey: clientId, rowKey: recordKey(entry), record },
            'Replace',
            { etag: row.etag },
          ],
          ['upsert', { partitionKey: clientId, rowKey: indexKey(entry), record }, 'Replace'],
        );
      }
      if (actions.length === 0) return;
      try {
        await this.table.submitTransaction(actions);
        return;
      } catch (err) {
        if (!isRestError(err, 412)) throw err;
      }
    }
    throw new Error(`resolutions of ${ticketId}: too many concurrent writes`);
  }

  async forClient(clientId: string): Promise<ResolutionRecord[]> {
    return this.read(`PartitionKey eq ${odataString(clientId)} and RowKey lt '~'`);
  }

  async recentSolved(clientId: string, limit: number): Promise<ResolutionRecord[]> {
    const filter = `PartitionKey eq ${odataString(clientId)} and RowKey ge ${odataString(SOLVED_PREFIX)} and RowKey lt ${odataString(`${SOLVED_PREFIX}~`)}`;
    return this.read(filter, limit);
  }

  private async read(filter: string, limit = Infinity): Promise<ResolutionRecord[]> {
    const out: ResolutionRecord[] = [];
    const pages = this.table
      .listEntities<{ record: string }>({ queryOptions: { filter } })
      .byPage({ maxPageSize: Math.min(1000, limit) });
    for await (const page of pages) {
      for (const row of page) {
        out.push(JSON.parse(row.record) as ResolutionRecord);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}
