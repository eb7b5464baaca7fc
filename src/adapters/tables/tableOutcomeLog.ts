import type { TableClient, TransactionAction } from '@azure/data-tables';

import {
  applyOutcome,
  type Interruption,
  type OutcomeEvent,
  type SelfServiceDeflection,
  type TicketOutcomes,
} from '../../domain/metrics';
import type { OutcomeLog } from '../../ports/outcomeLog';
import { KnownVersions } from './knownVersions';
import { isRestError, odataString, safeRowKey, tryGetEntity } from './tableNames';

/**
 * A range is read as this many equal slices at once, whatever its length: Azure serves each slice's
 * pages (1,000 rows each) in parallel, and a year costs the same handful of queries as a week.
 * Week-long slices cost a query per week, and Azurite answers each query by scanning the whole
 * table (events included): a year took 106 queries and most of a second before any row arrived.
 */
export const PARALLEL_SLICES = 4;
/** Slices narrower than this are not worth a query of their own. */
const MIN_SLICE_MS = 24 * 60 * 60_000;
/** Writers of one ticket's summary rarely collide (its workflow runs one step at a time, a rating may race it). */
const MAX_ATTEMPTS = 10;

/**
 * One partition per client. Rows:
 * - `e|<ticket>|<step>`: an outcome event, once per (ticket, step);
 * - `t|<receivedAt>|<ticket>`: the ticket's summary, in the order tickets were received, so a
 *   metrics query reads the range it asks for and nothing else;
 * - `i|<ticket>|<key>` and `a|<at>|<ticket>|<key>`: an interruption's marker and its time-ordered row;
 * - `sm|<key>` and `s|<at>|<key>`: a self-service deflection's marker and its time-ordered row.
 * An event and its summary change, or a marker and its row, are written in one transaction: a
 * retry after a crash either finds both or neither, so nothing counts twice or goes missing.
 */
export class TableOutcomeLog implements OutcomeLog {
  /** The summary rows this process last wrote: a ticket's next step writes its summary unread. */
  private readonly summariesWritten = new KnownVersions(2_000_000);

  constructor(private readonly table: TableClient) {}

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async record(...events: OutcomeEvent[]): Promise<OutcomeEvent[]> {
    const [first] = events;
    if (!first) return [];
    if (events.some((e) => e.clientId !== first.clientId || e.ticketId !== first.ticketId))
      throw new Error('record: the events of one ticket at a time');
    const pk = safeRowKey(first.clientId);
    const eventKey = (e: OutcomeEvent) => safeRowKey(`e|${e.ticketId}|${e.step}`);
    const summaryKey = `t|${iso(first.receivedAt)}|${safeRowKey(first.ticketId)}`;
    const versionKey = `${pk}/${summaryKey}`;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // The version written here last, if any (a 412 says it is stale: then it is read).
      const known = this.summariesWritten.get(versionKey);
      const row = known
        ? { etag: known.etag, summary: known.json }
        : await tryGetEntity<{ summary: string }>(this.table, pk, summaryKey);
      const current = row ? (JSON.parse(row.summary) as TicketOutcomes) : undefined;
      const summary = JSON.stringify(events.reduce(applyOutcome, current));
      const actions: TransactionAction[] = [
        ...events.map((e): TransactionAction => [
          'create',
          { partitionKey: pk, rowKey: eventKey(e), event: JSON.stringify(e) },
        ]),
        row
          ? ['update', { partitionKey: pk, rowKey: summaryKey, summary }, 'Replace', { etag: row.etag }]
          : ['create', { partitionKey: pk, rowKey: summaryKey, summary }],
      ];
      try {
        const written = await this.table.submitTransaction(actions);
        // A batch answers in the order of its actions: the summary's is the last.
        this.summariesWritten.set(versionKey, written.subResponses[events.length]?.etag, summary);
        return events;
      } catch (err) {
        this.summariesWritten.forget(versionKey);
        if (isRestError(err, 409)) {
          // An event recorded before (a retry), or a summary someone else created first.
          const seen = await Promise.all(
            events.map(async (e) => !!(await tryGetEntity(this.table, pk, eventKey(e)))),
          );
          const fresh = events.filter((_, i) => !seen[i]);
          if (fresh.length === 0) return [];
          if (fresh.length < events.length) return this.record(...fresh);
          continue;
        }
        // The summary changed under us (fold into the new one), or a version we knew is gone.
        if (isRestError(err, 412) || (known && isRestError(err, 404))) continue;
        throw err;
      }
    }
    throw new Error(`outcome ${first.ticketId}/${first.step}: the summary kept changing; try again`);
  }

  async recordInterruption(i: Interruption): Promise<void> {
    await this.recordOnce(
      i.clientId,
      `i|${i.ticketId}|${i.key}`,
      `a|${iso(i.at)}|${safeRowKey(`${i.ticketId}|${i.key}`)}`,
      { interruption: JSON.stringify(i) },
    );
  }

  async recordSelfServiceDeflection(d: SelfServiceDeflection): Promise<void> {
    await this.recordOnce(d.clientId, `sm|${d.key}`, `s|${iso(d.at)}|${safeRowKey(d.key)}`, {
      deflection: JSON.stringify(d),
    });
  }

  async summaries(clientId: string, from: Date, to: Date): Promise<TicketOutcomes[]> {
    const slices = await inSlices(from, to, (a, b) =>
      this.rows<{ summary: string }>(clientId, `t|${a}`, `t|${b}`, ['summary']),
    );
    return slices.map((r) => JSON.parse(r.summary) as TicketOutcomes);
  }

  async interruptions(clientId: string, from: Date, to: Date): Promise<Interruption[]> {
    const rows = await inSlices(from, to, (a, b) =>
      this.rows<{ interruption: string }>(clientId, `a|${a}`, `a|${b}`, ['interruption']),
    );
    return rows.map((r) => JSON.parse(r.interruption) as Interruption);
  }

  async selfServiceDeflections(clientId: string, from: Date, to: Date): Promise<number> {
    const rows = await this.rows(clientId, `s|${from.toISOString()}`, `s|${to.toISOString()}`, ['RowKey']);
    return rows.length;
  }

  async events(clientId: string, ticketId: string): Promise<OutcomeEvent[]> {
    const prefix = `e|${ticketId}|`;
    const rows = await this.rows<{ event: string }>(clientId, prefix, `${prefix}~`, ['event']);
    return rows
      .map((r) => JSON.parse(r.event) as OutcomeEvent)
      .sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1));
  }

  private async recordOnce(
    clientId: string,
    marker: string,
    rowKey: string,
    fields: Record<string, string>,
  ): Promise<void> {
    const pk = safeRowKey(clientId);
    try {
      await this.table.submitTransaction([
        ['create', { partitionKey: pk, rowKey: safeRowKey(marker), rowKeyOfRecord: rowKey }],
        ['upsert', { partitionKey: pk, rowKey, ...fields }, 'Replace'],
      ]);
    } catch (err) {
      if (!isRestError(err, 409)) throw err; // 409: recorded before
    }
  }

  private async rows<T extends object>(
    clientId: string,
    fromKey: string,
    toKey: string,
    select: string[],
  ): Promise<T[]> {
    const filter = `PartitionKey eq ${odataString(safeRowKey(clientId))} and RowKey ge ${odataString(fromKey)} and RowKey lt ${odataString(toKey)}`;
    const out: T[] = [];
    for await (const row of this.table.listEntities<T>({ queryOptions: { filter, select } })) out.push(row);
    return out;
  }
}

/** Keys sort by time only in one spelling of an instant: the one toISOString writes. */
const iso = (at: string) => new Date(at).toISOString();

/** Reads [from, to) as at most PARALLEL_SLICES equal slices of ISO instants, all at once, in order. */
async function inSlices<T>(from: Date, to: Date, read: (a: string, b: string) => Promise<T[]>): Promise<T[]> {
  const [start, end] = [from.getTime(), to.getTime()];
  if (end <= start) return [];
  const n = Math.max(1, Math.min(PARALLEL_SLICES, Math.floor((end - start) / MIN_SLICE_MS)));
  const edge = (i: number) =>
    new Date(i === n ? end : start + Math.floor(((end - start) * i) / n)).toISOString();
  const slices = await Promise.all(Array.from({ length: n }, (_, i) => read(edge(i), edge(i + 1))));
  return slices.flat();
}
