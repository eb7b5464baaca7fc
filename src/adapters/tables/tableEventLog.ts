import type { TableClient } from '@azure/data-tables';

import type { EscalationPackage } from '../../domain/escalation';
import type { Notification, Notifier } from '../../ports/notifier';
import type { PsaConnector } from '../../ports/psaConnector';
import type { JsonQueue } from '../queues/jsonQueue';
import { isRestError, odataString, tryGetEntity } from './tableNames';

export interface LoggedEvent {
  ticketId: string;
  key: string;
  kind: string;
  payload: unknown;
}

/**
 * Notifications go to the tier's queue (`<prefix>-tier<N>`), where a Teams or pager bridge reads
 * them; each is also logged once per key. The PSA side records write-backs in the same log until a
 * PSA connection is configured (the PSA issue brings ConnectWise, Autotask and HaloPSA adapters).
 */
export class TableEventLog implements Notifier, PsaConnector {
  constructor(
    private readonly table: TableClient,
    private readonly tierQueue: (tier: number) => JsonQueue<Notification> | undefined = () => undefined,
  ) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async notify(n: Notification): Promise<void> {
    if (await this.exists(n.ticketId, `notify|${n.key}`)) return;
    const queue = this.tierQueue(n.tier);
    if (queue) await queue.send(n);
    await this.log(n.ticketId, `notify|${n.key}`, n.kind, n);
  }

  async escalate(pkg: EscalationPackage, key: string): Promise<void> {
    await this.log(pkg.ticketId, `psa|${key}`, 'psa_escalation', pkg);
  }

  async addNote(ticketId: string, note: string, key: string): Promise<void> {
    await this.log(ticketId, `psa|${key}`, 'psa_note', { note });
  }

  async setStatus(ticketId: string, status: string, key: string): Promise<void> {
    await this.log(ticketId, `psa|${key}`, 'psa_status', { status });
  }

  async list(ticketId: string): Promise<LoggedEvent[]> {
    const out: LoggedEvent[] = [];
    const filter = `PartitionKey eq ${odataString(ticketId)}`;
    for await (const row of this.table.listEntities<{ kind: string; payload: string }>({
      queryOptions: { filter },
    })) {
      out.push({
        ticketId,
        key: row.rowKey ?? '',
        kind: row.kind,
        payload: JSON.parse(row.payload) as unknown,
      });
    }
    return out;
  }

  private async exists(pk: string, rk: string): Promise<boolean> {
    return (await tryGetEntity(this.table, pk, rk)) !== undefined;
  }

  private async log(ticketId: string, rowKey: string, kind: string, payload: unknown): Promise<void> {
    try {
      await this.table.createEntity({
        partitionKey: ticketId,
        rowKey,
        kind,
        payload: JSON.stringify(payload),
      });
    } catch (err) {
      if (!isRestError(err, 409)) throw err;
    }
  }
}
