import type { TableClient } from '@azure/data-tables';

import type { ResolutionLog, ResolutionRecord } from '../../ports/resolutionLog';
import { odataString } from './tableNames';

/** One row per (client, ticket, outcome): recording the same outcome twice overwrites it. */
export class TableResolutionLog implements ResolutionLog {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async record(entry: ResolutionRecord): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: entry.clientId,
        rowKey: `${entry.ticketId}|${entry.outcome}`,
        record: JSON.stringify(entry),
      },
      'Replace',
    );
  }

  async forClient(clientId: string): Promise<ResolutionRecord[]> {
    const out: ResolutionRecord[] = [];
    for await (const row of this.table.listEntities<{ record: string }>({
      queryOptions: { filter: `PartitionKey eq ${odataString(clientId)}` },
    })) {
      out.push(JSON.parse(row.record) as ResolutionRecord);
    }
    return out;
  }
}
