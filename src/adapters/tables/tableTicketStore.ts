import type { TableClient, TableEntityResult } from '@azure/data-tables';

import type { ConversationEntry } from '../../domain/escalation';
import {
  type NewTicket,
  newTicket,
  type Stage,
  type Ticket,
  ticketIdFromNumber,
  type TicketSummary,
  type TimelineEntry,
} from '../../domain/ticket';
import {
  type CreateResult,
  type TicketListQuery,
  TicketNotFoundError,
  type TicketPage,
  type TicketStore,
} from '../../ports/ticketStore';
import { fromChunks } from './chunked';
import { KnownVersions } from './knownVersions';
import { isRestError, odataString, safeRowKey, tryGetEntity } from './tableNames';
import {
  fromEntity,
  newestFirstKey,
  summaryOf,
  type TicketEntity,
  ticketJson,
  toEntity,
} from './ticketEntity';
import { TicketNumbers } from './ticketNumbers';

/**
 * Layout of the tickets table (partition key = client id, so a client's tickets live together):
 * - `t|<ticketId>`        the ticket as chunked JSON, plus the columns a list shows (stage, subject...)
 * - `o|<999999999999 - n>` newest first: one row per ticket T-n, so a list reads the latest N in order
 * - `x|<externalId>`      idempotency: the ticket created for a PSA or mail id
 * - `l|<ticketId>|<step>` timeline entries, one per step
 * - `c|<ticketId>|<key>`  the conversation: what the requester and engineers said
 * Outside client partitions: `_index/<ticketId>` -> clientId, and `_counter/ticket` for reference numbers.
 */
const INDEX_PARTITION = '_index';
const MAX_KNOWN_CLIENT_IDS = 10_000;
const MAX_CONCURRENCY_RETRIES = 20;
/** Point reads a list makes at once. */
const READS_AT_ONCE = 16;
/** `read` for each id, READS_AT_ONCE at a time, results in the ids' order. */
async function readAFewAtOnce<T>(ids: string[], read: (id: string) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += READS_AT_ONCE)
    out.push(...(await Promise.all(ids.slice(i, i + READS_AT_ONCE).map(read))));
  return out;
}
/** A list with a stage filter looks through at most this many of a client's tickets per call. */
const DEFAULT_SCAN_LIMIT = 500;
/** The plain columns of a ticket row that a list reads instead of the whole document. */
const SUMMARY_COLUMNS = ['stage', 'createdAt', 'updatedAt', 'subject', 'category', 'priority', 'tier'];
type SummaryColumns = {
  stage: string;
  createdAt: string;
  updatedAt?: string;
  subject?: string;
  category?: string;
  priority?: string;
  tier?: number;
};

export class TableTicketStore implements TicketStore {
  private readonly numbers: TicketNumbers;
  /** Which client each ticket belongs to, as far as this process has seen (it never changes). */
  private readonly clientIds = new Map<string, string>();
  /** The version of each ticket this process last read or wrote: an update after a load reads nothing more. */
  private readonly versions = new KnownVersions();

  constructor(private readonly table: TableClient) {
    this.numbers = new TicketNumbers(table);
  }

  async ensureTable(): Promise<void> {
    await this.table.createTable();
  }

  async create(input: NewTicket, now: Date): Promise<CreateResult> {
    if (input.externalId) {
      const existing = await this.findByExternalId(input.clientId, input.externalId);
      if (existing) return { ticket: existing, created: false };
    }
    const ticketId = ticketIdFromNumber(await this.numbers.next());
    const ticket = newTicket(ticketId, input, now);
    // The index row comes first: if we stop before the ticket is written it points at nothing (404),
    // and nothing half-written is visible.
    await this.table.upsertEntity(
      { partitionKey: INDEX_PARTITION, rowKey: ticketId, clientId: input.clientId },
      'Replace',
    );
    const entity = toEntity(ticket);
    const actions: Parameters<TableClient['submitTransaction']>[0] = [
      ['create', entity],
      ['create', { partitionKey: input.clientId, rowKey: newestFirstKey(ticketId), ticketId }],
    ];
    if (input.externalId) {
      actions.push([
        'create',
        { partitionKey: input.clientId, rowKey: externalKey(input.externalId), ticketId },
      ]);
    }
    try {
      const written = await this.table.submitTransaction(actions);
      this.rememberClient(ticketId, input.clientId);
      // A batch answers in the order of its actions (Azure names the row only for some of them).
      this.versions.set(ticketId, written.subResponses[0]?.etag, fromChunks(entity));
    } catch (err) {
      // Two deliveries of the same external id raced; the other one won. Return its ticket.
      if (input.externalId && isRestError(err, 409)) {
        const winner = await this.findByExternalId(input.clientId, input.externalId);
        if (winner) return { ticket: winner, created: false };
      }
      throw err;
    }
    return { ticket, created: true };
  }

  async get(ticketId: string): Promise<Ticket | undefined> {
    const clientId = await this.clientOf(ticketId);
    if (!clientId) return undefined;
    const entity = await this.getTicketEntity(clientId, ticketId);
    if (!entity) return undefined;
    const json = ticketJson(entity);
    this.versions.set(ticketId, entity.etag, json);
    return JSON.parse(json) as Ticket;
  }

  /**
   * Changes the ticket with an ETag-guarded write. After a load (or a write) in this process the
   * write goes first with that version's ETag; if the ticket changed since, it is read and the
   * change applied again, as for a ticket this process has not seen.
   */
  async update(
    ticketId: string,
    change: (ticket: Ticket) => Partial<Ticket>,
    now: Date,
    note?: TimelineEntry,
  ): Promise<Ticket> {
    const clientId = await this.clientOf(ticketId);
    if (!clientId) throw new TicketNotFoundError(ticketId);
    let known = this.versions.get(ticketId);
    // The timeline row lives in the ticket's partition: one transaction writes both.
    let noteRow = note && timelineRow({ ticketId, clientId }, note);
    for (let attempt = 0; attempt < MAX_CONCURRENCY_RETRIES; attempt++) {
      if (!known) {
        const entity = await this.getTicketEntity(clientId, ticketId);
        if (!entity) throw new TicketNotFoundError(ticketId);
        known = { etag: entity.etag, json: ticketJson(entity) };
      }
      const current = JSON.parse(known.json) as Ticket;
      const next: Ticket = {
        ...current,
        ...change(current),
        ticketId,
        clientId,
        updatedAt: now.toISOString(),
      };
      const entity = toEntity(next);
      try {
        const etag = noteRow
          ? (
              await this.table.submitTransaction([
                ['update', entity, 'Replace', { etag: known.etag }],
                ['create', noteRow],
              ])
            ).subResponses[0]?.etag
          : (await this.table.updateEntity(entity, 'Replace', { etag: known.etag })).etag;
        this.versions.set(ticketId, etag, fromChunks(entity));
        return next;
      } catch (err) {
        if (noteRow && isRestError(err, 409)) {
          noteRow = undefined; // the step was recorded before (a retry): apply the change alone
          continue;
        }
        // 412: changed since; 404: a remembered version of a ticket that is gone (read to be sure).
        if (!isRestError(err, 412) && !isRestError(err, 404)) throw err;
        this.versions.forget(ticketId);
        known = undefined;
      }
    }
    throw new Error(`ticket ${ticketId}: too many concurrent updates`);
  }

  appendTimeline(ticket: Pick<Ticket, 'ticketId' | 'clientId'>, entry: TimelineEntry): Promise<boolean> {
    return this.appendOnce(ticket, 'l', entry.step, entry);
  }

  async timeline(ticket: Pick<Ticket, 'ticketId' | 'clientId'>): Promise<TimelineEntry[]> {
    return (await this.listRows<TimelineEntry>(ticket, 'l'))
      .sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.written.localeCompare(b.written))
      .map((r) => r.entry);
  }

  appendConversation(
    ticket: Pick<Ticket, 'ticketId' | 'clientId'>,
    key: string,
    entry: ConversationEntry,
  ): Promise<boolean> {
    return this.appendOnce(ticket, 'c', key, entry);
  }

  async conversation(ticket: Pick<Ticket, 'ticketId' | 'clientId'>): Promise<ConversationEntry[]> {
    return (await this.listRows<ConversationEntry>(ticket, 'c'))
      .sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.written.localeCompare(b.written))
      .map((r) => r.entry);
  }

  async list(query: TicketListQuery): Promise<TicketPage> {
    const after = query.before ? newestFirstKey(query.before) : 'o|';
    const filter = `PartitionKey eq ${odataString(query.clientId)} and RowKey gt ${odataString(after)} and RowKey lt 'o|~'`;
    const scanLimit = query.stage ? (query.scanLimit ?? DEFAULT_SCAN_LIMIT) : query.limit;
    const pageSize = Math.min(query.stage ? Math.max(query.limit, 50) : query.limit, 200);
    const tickets: TicketSummary[] = [];
    let scanned = 0;
    let last: string | undefined;
    const pages = this.table
      .listEntities<{ ticketId: string }>({ queryOptions: { filter, select: ['ticketId'] } })
      .byPage({ maxPageSize: pageSize });
    for await (const page of pages) {
      const ids = page.map((row) => row.ticketId).slice(0, scanLimit - scanned);
      const found = await this.readSummaries(query.clientId, ids);
      for (const [i, ticketId] of ids.entries()) {
        scanned++;
        last = ticketId;
        const summary = found[i];
        if (summary && (!query.stage || summary.stage === query.stage)) tickets.push(summary);
        if (tickets.length >= query.limit) return { tickets, next: last };
      }
      if (scanned >= scanLimit) return { tickets, next: last };
    }
    return { tickets };
  }

  async summaries(ticketIds: string[]): Promise<TicketSummary[]> {
    const out = await readAFewAtOnce(ticketIds, async (ticketId) => {
      const clientId = await this.clientOf(ticketId);
      return clientId ? this.readSummary(clientId, ticketId) : undefined;
    });
    return out.filter((s): s is TicketSummary => s !== undefined);
  }

  private readSummaries(clientId: string, ticketIds: string[]): Promise<(TicketSummary | undefined)[]> {
    return readAFewAtOnce(ticketIds, (id) => this.readSummary(clientId, id));
  }

  /** The list's columns only; a row written before they existed is read whole, once. */
  private async readSummary(clientId: string, ticketId: string): Promise<TicketSummary | undefined> {
    let row: SummaryColumns | undefined;
    try {
      row = await this.table.getEntity<SummaryColumns>(clientId, `t|${ticketId}`, {
        queryOptions: { select: SUMMARY_COLUMNS },
      });
    } catch (err) {
      if (isRestError(err, 404)) return undefined;
      throw err;
    }
    if (row.subject === undefined || row.updatedAt === undefined) {
      const entity = await this.getTicketEntity(clientId, ticketId);
      return entity ? summaryOf(fromEntity(entity)) : undefined;
    }
    return {
      ticketId,
      clientId,
      subject: row.subject,
      stage: row.stage as Stage,
      ...(row.category ? { category: row.category } : {}),
      ...(row.priority ? { priority: row.priority } : {}),
      ...(typeof row.tier === 'number' ? { tier: row.tier } : {}),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  private async appendOnce(
    ticket: Pick<Ticket, 'ticketId' | 'clientId'>,
    kind: 'l' | 'c',
    key: string,
    entry: object,
  ): Promise<boolean> {
    try {
      await this.table.createEntity(appendedRow(ticket, kind, key, entry));
      return true;
    } catch (err) {
      if (isRestError(err, 409)) return false;
      throw err;
    }
  }

  private async listRows<T>(
    ticket: Pick<Ticket, 'ticketId' | 'clientId'>,
    kind: 'l' | 'c',
  ): Promise<{ entry: T; written: string }[]> {
    const prefix = `${kind}|${ticket.ticketId}|`;
    const rows: { entry: T; written: string }[] = [];
    const filter = `PartitionKey eq ${odataString(ticket.clientId)} and RowKey ge ${odataString(prefix)} and RowKey lt ${odataString(`${prefix}~`)}`;
    for await (const row of this.table.listEntities<{ entry: string }>({ queryOptions: { filter } })) {
      rows.push({ entry: JSON.parse(row.entry) as T, written: row.timestamp ?? '' });
    }
    return rows;
  }

  async linkExternal(ticket: Pick<Ticket, 'ticketId' | 'clientId'>, externalId: string): Promise<string> {
    try {
      await this.table.createEntity({
        partitionKey: ticket.clientId,
        rowKey: externalKey(externalId),
        ticketId: ticket.ticketId,
      });
      return ticket.ticketId;
    } catch (err) {
      if (!isRestError(err, 409)) throw err;
      const owner = await this.tryGet<{ ticketId: string }>(ticket.clientId, externalKey(externalId));
      return owner?.ticketId ?? ticket.ticketId;
    }
  }

  async findByExternalId(clientId: string, externalId: string): Promise<Ticket | undefined> {
    const link = await this.tryGet<{ ticketId: string }>(clientId, externalKey(externalId));
    if (!link) return undefined;
    const entity = await this.getTicketEntity(clientId, link.ticketId);
    if (!entity) return undefined;
    // Repair the index in case an earlier attempt stopped between the two writes.
    await this.table.upsertEntity(
      { partitionKey: INDEX_PARTITION, rowKey: link.ticketId, clientId },
      'Replace',
    );
    return fromEntity(entity);
  }

  /**
   * A ticket's client never changes, so the index row is read once per process: every load and
   * update of a ticket is then one point read, not two in a row.
   */
  private async clientOf(ticketId: string): Promise<string | undefined> {
    const known = this.clientIds.get(ticketId);
    if (known) return known;
    const row = await this.tryGet<{ clientId: string }>(INDEX_PARTITION, ticketId);
    if (row?.clientId) this.rememberClient(ticketId, row.clientId);
    return row?.clientId;
  }

  private rememberClient(ticketId: string, clientId: string): void {
    this.clientIds.set(ticketId, clientId);
    if (this.clientIds.size > MAX_KNOWN_CLIENT_IDS)
      this.clientIds.delete(this.clientIds.keys().next().value ?? '');
  }

  private getTicketEntity(clientId: string, ticketId: string) {
    return this.tryGet<TicketEntity>(clientId, `t|${ticketId}`);
  }

  private tryGet<T extends object>(pk: string, rk: string): Promise<TableEntityResult<T> | undefined> {
    return tryGetEntity<T>(this.table, pk, rk);
  }
}

const appendedRow = (
  ticket: Pick<Ticket, 'ticketId' | 'clientId'>,
  kind: 'l' | 'c',
  key: string,
  entry: object,
) => ({
  partitionKey: ticket.clientId,
  rowKey: `${kind}|${ticket.ticketId}|${key}`,
  entry: JSON.stringify(entry),
});
const timelineRow = (ticket: Pick<Ticket, 'ticketId' | 'clientId'>, entry: TimelineEntry) =>
  appendedRow(ticket, 'l', entry.step, entry);

const externalKey = (externalId: string) => `x|${safeRowKey(externalId)}`;
