import type { TableClient } from '@azure/data-tables';

import type { EscalationPackage } from '../../domain/escalation';
import type {
  AlertDelivery,
  AlertDeliveryFailure,
  AlertFailureLog,
  AlertFailureRecord,
  TicketAlertLog,
} from '../../ports/alertDelivery';
import type { Notification, Notifier } from '../../ports/notifier';
import type { PsaConnector } from '../../ports/psaConnector';
import type { JsonQueue } from '../queues/jsonQueue';
import { isRestError, odataString, safeRowKey, tryGetEntity } from './tableNames';

export interface LoggedEvent {
  ticketId: string;
  key: string;
  kind: string;
  payload: unknown;
}

/**
 * Notifications go to their audience's queue (`<prefix>1..3`, `<prefix>oncall`), where the
 * deliverAlert functions (or a bridge of your own) read them; each is also logged once per key.
 * Alerts that could not be delivered are logged here too (`alert-failed|...`), for the operators.
 * The PSA side records write-backs in the same log until a PSA connection is configured.
 */
export class TableEventLog implements Notifier, PsaConnector, AlertFailureLog, TicketAlertLog {
  constructor(
    private readonly table: TableClient,
    private readonly queueFor: (n: Notification) => JsonQueue<Notification> | undefined = () => undefined,
  ) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async notify(n: Notification): Promise<void> {
    if (await this.exists(n.ticketId, `notify|${n.key}`)) return;
    const queue = this.queueFor(n);
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

  /** One row per alert and channel, replaced by each failed try: the latest error and try count. */
  async alertDeliveryFailed(f: AlertDeliveryFailure): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: f.ticketId,
        rowKey: alertFailedKey(f),
        kind: 'alert_delivery_failed',
        payload: JSON.stringify(f),
      },
      'Replace',
    );
  }

  /** A channel that failed before got through: its row says so, so no one chases a delivered alert. */
  async alertDeliveryRecovered(d: AlertDelivery, details: { attempt: number; at: string }): Promise<void> {
    const row = await tryGetEntity<{ payload: string }>(this.table, d.ticketId, alertFailedKey(d));
    if (!row) return;
    const failure = JSON.parse(row.payload) as AlertDeliveryFailure;
    await this.table.upsertEntity(
      {
        partitionKey: d.ticketId,
        rowKey: alertFailedKey(d),
        kind: 'alert_delivery_recovered',
        payload: JSON.stringify({ ...failure, deliveredAttempt: details.attempt, deliveredAt: details.at }),
      },
      'Replace',
    );
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

  /** Only the alert rows: a ticket's partition also holds PSA write-backs with whole packages. */
  async alertsFor(ticketId: string): Promise<{ raised: Notification[]; failed: AlertFailureRecord[] }> {
    const raised: Notification[] = [];
    const failed: AlertFailureRecord[] = [];
    const filter =
      `PartitionKey eq ${odataString(ticketId)} and ((RowKey ge 'notify|' and RowKey lt 'notify|~')` +
      ` or kind eq 'alert_delivery_failed' or kind eq 'alert_delivery_recovered')`;
    for await (const row of this.table.listEntities<{ kind: string; payload: string }>({
      queryOptions: { filter },
    })) {
      if (row.kind === 'alert_delivery_failed' || row.kind === 'alert_delivery_recovered') {
        const f = JSON.parse(row.payload) as AlertDeliveryFailure & {
          deliveredAttempt?: number;
          deliveredAt?: string;
        };
        const { deliveredAttempt, deliveredAt, ...failure } = f;
        failed.push(
          row.kind === 'alert_delivery_recovered' && deliveredAttempt !== undefined && deliveredAt
            ? { ...failure, recovered: { attempt: deliveredAttempt, at: deliveredAt } }
            : failure,
        );
      } else raised.push(JSON.parse(row.payload) as Notification);
    }
    const byTime = (a: { at: string }, b: { at: string }) => a.at.localeCompare(b.at);
    return { raised: raised.sort(byTime), failed: failed.sort(byTime) };
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

const alertFailedKey = (d: AlertDelivery) => safeRowKey(`alert-failed|${d.notificationKey}|${d.channel}`);
