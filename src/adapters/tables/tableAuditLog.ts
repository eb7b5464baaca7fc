import type { TableClient } from '@azure/data-tables';

import type { AuditLog, AuditRecord } from '../../ports/auditLog';
import { odataString, tryGetEntity } from './tableNames';

type Row = Omit<AuditRecord, 'clientId'>;

/** The audit log in a table: a partition per client, a row per (ticket, step). */
export class TableAuditLog implements AuditLog {
  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async record(entry: AuditRecord): Promise<void> {
    const { clientId, ...row } = entry;
    await this.table.upsertEntity(
      { partitionKey: clientId, rowKey: `${entry.ticketId}.${entry.step}`, ...row },
      'Replace',
    );
  }

  async get(clientId: string, ticketId: string, step: string): Promise<AuditRecord | undefined> {
    const row = await tryGetEntity<Row>(this.table, clientId, `${ticketId}.${step}`);
    return row && toRecord(clientId, row);
  }

  async forClient(clientId: string, since?: string): Promise<AuditRecord[]> {
    const filter = `PartitionKey eq ${odataString(clientId)}${since ? ` and at ge ${odataString(since)}` : ''}`;
    const out: AuditRecord[] = [];
    for await (const row of this.table.listEntities<Row>({ queryOptions: { filter } }))
      out.push(toRecord(clientId, row));
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }
}

function toRecord(clientId: string, row: Row): AuditRecord {
  return {
    clientId,
    ticketId: row.ticketId,
    step: row.step,
    at: row.at,
    actor: row.actor,
    requestedBy: row.requestedBy,
    action: row.action,
    target: row.target,
    detail: row.detail,
    reason: row.reason,
    outcome: row.outcome,
  };
}
