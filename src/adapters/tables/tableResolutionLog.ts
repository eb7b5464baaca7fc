import type { TableClient, TransactionAction } from '@azure/data-tables';

import { type ResolutionLog, type ResolutionRecord, SOLVED } from '../../ports/resolutionLog';
import { odataString } from './tableNames';

/** Index rows sort after every ticket id: `~solved|<newest first>|<ticket>|<outcome>`. */
const SOLVED_PREFIX = '~solved|';
const newestFirst = (at: string) => String(9_000_000_000_000_000 - Date.parse(at)).padStart(16, '0');

/**
 * One row per (client, ticket, outcome): recording the same outcome twice overwrites it. Solved
 * outcomes also get an index row keyed newest first, so the ticket path reads the latest solved
 * tickets as one bounded range instead of the client's whole partition.
 */
export class TableResolutionLog implements ResolutionLog {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async record(entry: ResolutionRecord): Promise<void> {
    const record = JSON.stringify(entry);
    const actions: TransactionAction[] = [
      [
        'upsert',
        { partitionKey: entry.clientId, rowKey: `${entry.ticketId}|${entry.outcome}`, record },
        'Replace',
      ],
    ];
    if (SOLVED.has(entry.outcome))
      actions.push([
        'upsert',
        {
          partitionKey: entry.clientId,
          rowKey: `${SOLVED_PREFIX}${newestFirst(entry.at)}|${entry.ticketId}|${entry.outcome}`,
          record,
        },
        'Replace',
      ]);
    await this.table.submitTransaction(actions);
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
