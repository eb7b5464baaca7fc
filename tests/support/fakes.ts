import type { ClientProfile } from '../../src/domain/client';
import { DEMO_CLIENT } from '../../src/domain/client';
import type { EscalationPackage } from '../../src/domain/escalation';
import type { ConversationEntry } from '../../src/domain/escalation';
import type { TicketEvent } from '../../src/domain/lifecycle';
import {
  applyOutcome,
  type Interruption,
  type OutcomeEvent,
  type SelfServiceDeflection,
  type TicketOutcomes,
} from '../../src/domain/metrics';
import { SOLVED } from '../../src/domain/resolution';
import {
  type NewTicket,
  newTicket,
  summarizeTicket,
  type Ticket,
  ticketIdFromNumber,
  type TicketSummary,
  type TimelineEntry,
} from '../../src/domain/ticket';
import type { AuditLog, AuditRecord } from '../../src/ports/auditLog';
import type { ClientStore } from '../../src/ports/clientStore';
import type { EmailSender, OutgoingMail, SendResult } from '../../src/ports/emailSender';
import type { Notification, Notifier } from '../../src/ports/notifier';
import type { OutcomeLog } from '../../src/ports/outcomeLog';
import type { PsaConnector } from '../../src/ports/psaConnector';
import type { ResolutionLog, ResolutionRecord } from '../../src/ports/resolutionLog';
import {
  type CreateResult,
  type TicketListQuery,
  TicketNotFoundError,
  type TicketPage,
  type TicketStore,
} from '../../src/ports/ticketStore';
import type {
  RaiseResult,
  TicketWorkflow,
  TicketWorkflowInput,
  WorkflowDetails,
  WorkflowMonitor,
  WorkflowQuery,
  WorkflowSummary,
} from '../../src/ports/ticketWorkflow';
import type { TokenStore } from '../../src/ports/tokenStore';

/** In-memory TicketStore for unit tests of handlers and activities. */
export class InMemoryTicketStore implements TicketStore {
  readonly tickets = new Map<string, Ticket>();
  readonly entries = new Map<string, TimelineEntry[]>();
  private readonly external = new Map<string, string>();

  create(input: NewTicket, now: Date): Promise<CreateResult> {
    const key = input.externalId ? `${input.clientId}|${input.externalId}` : undefined;
    const existing = key ? this.external.get(key) : undefined;
    if (existing) return Promise.resolve({ ticket: this.tickets.get(existing) as Ticket, created: false });
    const ticket = newTicket(ticketIdFromNumber(this.tickets.size + 1), input, now);
    this.tickets.set(ticket.ticketId, ticket);
    if (key) this.external.set(key, ticket.ticketId);
    return Promise.resolve({ ticket, created: true });
  }

  get(ticketId: string): Promise<Ticket | undefined> {
    return Promise.resolve(this.tickets.get(ticketId));
  }

  findByExternalId(clientId: string, externalId: string): Promise<Ticket | undefined> {
    const id = this.external.get(`${clientId}|${externalId}`);
    return Promise.resolve(id ? this.tickets.get(id) : undefined);
  }

  linkExternal(ticket: Pick<Ticket, 'ticketId' | 'clientId'>, externalId: string): Promise<string> {
    const key = `${ticket.clientId}|${externalId}`;
    if (!this.external.has(key)) this.external.set(key, ticket.ticketId);
    return Promise.resolve(this.external.get(key) ?? ticket.ticketId);
  }

  async update(
    ticketId: string,
    change: (ticket: Ticket) => Partial<Ticket>,
    now: Date,
    note?: TimelineEntry,
  ): Promise<Ticket> {
    const current = this.tickets.get(ticketId);
    if (!current) throw new TicketNotFoundError(ticketId);
    // As the Table adapter: a change never moves the ticket or changes its client.
    const next = {
      ...current,
      ...change(current),
      ticketId,
      clientId: current.clientId,
      updatedAt: now.toISOString(),
    };
    this.tickets.set(ticketId, next);
    if (note) await this.appendTimeline(next, note);
    return next;
  }

  appendTimeline(ticket: Pick<Ticket, 'ticketId'>, entry: TimelineEntry): Promise<boolean> {
    const list = this.entries.get(ticket.ticketId) ?? [];
    if (list.some((e) => e.step === entry.step)) return Promise.resolve(false);
    list.push(entry);
    this.entries.set(ticket.ticketId, list);
    return Promise.resolve(true);
  }

  timeline(ticket: Pick<Ticket, 'ticketId'>): Promise<TimelineEntry[]> {
    return Promise.resolve(inTimeOrder(this.entries.get(ticket.ticketId) ?? []));
  }

  readonly said = new Map<string, Map<string, ConversationEntry>>();
  appendConversation(
    ticket: Pick<Ticket, 'ticketId'>,
    key: string,
    entry: ConversationEntry,
  ): Promise<boolean> {
    const map = this.said.get(ticket.ticketId) ?? new Map<string, ConversationEntry>();
    this.said.set(ticket.ticketId, map);
    if (map.has(key)) return Promise.resolve(false);
    map.set(key, entry);
    return Promise.resolve(true);
  }

  conversation(ticket: Pick<Ticket, 'ticketId'>): Promise<ConversationEntry[]> {
    return Promise.resolve(inTimeOrder([...(this.said.get(ticket.ticketId)?.values() ?? [])]));
  }

  /** Newest first by reference number, like the table's `o|` rows; `scanLimit` bounds a stage filter. */
  list(query: TicketListQuery): Promise<TicketPage> {
    const number = (id: string) => Number(id.slice(2));
    const older = [...this.tickets.values()]
      .filter((t) => t.clientId === query.clientId)
      .filter((t) => !query.before || number(t.ticketId) < number(query.before))
      .sort((a, b) => number(b.ticketId) - number(a.ticketId));
    const scanLimit = query.stage ? (query.scanLimit ?? 500) : query.limit;
    const tickets: TicketSummary[] = [];
    for (const [i, t] of older.slice(0, scanLimit).entries()) {
      if (!query.stage || t.stage === query.stage) tickets.push(summaryOf(t));
      if (tickets.length >= query.limit) return Promise.resolve({ tickets, next: t.ticketId });
      if (i + 1 === scanLimit) return Promise.resolve({ tickets, next: t.ticketId });
    }
    return Promise.resolve({ tickets });
  }

  summaries(ticketIds: string[]): Promise<TicketSummary[]> {
    return Promise.resolve(
      ticketIds.flatMap((id) => {
        const t = this.tickets.get(id);
        return t ? [summaryOf(t)] : [];
      }),
    );
  }
}

/** Durable instances as the ops page sees them: set them up by hand in a test. */
export class FakeWorkflowMonitor implements WorkflowMonitor {
  readonly instances = new Map<string, WorkflowDetails>();
  readonly queries: WorkflowQuery[] = [];
  list(query: WorkflowQuery): Promise<WorkflowSummary[]> {
    this.queries.push(query);
    return Promise.resolve(
      [...this.instances.values()]
        .filter((i) => !query.runtimeStatus || query.runtimeStatus.includes(i.runtimeStatus))
        .filter((i) => !query.createdFrom || i.createdTime >= query.createdFrom.toISOString())
        .map(({ history: _history, output: _output, ...summary }) => summary),
    );
  }
  details(ticketId: string): Promise<WorkflowDetails | undefined> {
    return Promise.resolve(this.instances.get(ticketId));
  }
}

export class RecordingMail implements EmailSender {
  readonly sent: OutgoingMail[] = [];
  send(mail: OutgoingMail): Promise<SendResult> {
    const duplicate = this.sent.some((m) => m.idempotencyKey === mail.idempotencyKey);
    if (!duplicate) this.sent.push(mail);
    return Promise.resolve({ messageId: mail.idempotencyKey, duplicate });
  }
}

export class FakeWorkflow implements TicketWorkflow {
  readonly started = new Set<string>();
  /** The input each instance was started with. */
  readonly inputs = new Map<string, TicketWorkflowInput>();
  ensureStarted(input: TicketWorkflowInput) {
    if (this.started.has(input.ticketId)) return Promise.resolve({ started: false });
    this.started.add(input.ticketId);
    this.inputs.set(input.ticketId, input);
    return Promise.resolve({ started: true });
  }
  customStatus(ticketId: string) {
    return Promise.resolve(this.started.has(ticketId) ? { stage: 'received' } : undefined);
  }
  readonly raised: { ticketId: string; event: TicketEvent }[] = [];
  /** Tickets whose workflow has ended (completed after the reopen window). */
  readonly finished = new Set<string>();
  raise(ticketId: string, event: TicketEvent): Promise<RaiseResult> {
    if (this.finished.has(ticketId)) return Promise.resolve('finished');
    if (!this.started.has(ticketId)) return Promise.resolve('none');
    this.raised.push({ ticketId, event });
    return Promise.resolve('delivered');
  }
}

export class MemoryClients implements ClientStore {
  readonly profiles = new Map<string, ClientProfile>([[DEMO_CLIENT.clientId, DEMO_CLIENT]]);
  get(clientId: string) {
    return Promise.resolve(this.profiles.get(clientId));
  }
  put(profile: ClientProfile) {
    this.profiles.set(profile.clientId, profile);
    return Promise.resolve();
  }
  list() {
    return Promise.resolve([...this.profiles.values()]);
  }
}

/** Records notifications and PSA write-backs, each once per key, like the real adapters. */
export class RecordingOps implements Notifier, PsaConnector {
  readonly log = new Map<string, unknown>();
  notify(n: Notification) {
    if (!this.log.has(`notify|${n.key}`)) this.log.set(`notify|${n.key}`, n);
    return Promise.resolve();
  }
  escalate(pkg: EscalationPackage, key: string) {
    this.log.set(`psa|${key}`, pkg);
    return Promise.resolve();
  }
  addNote(_ticketId: string, note: string, key: string) {
    this.log.set(`psa|${key}`, note);
    return Promise.resolve();
  }
  setStatus(_ticketId: string, status: string, key: string) {
    this.log.set(`psa|${key}`, status);
    return Promise.resolve();
  }
}

export class MemoryResolutions implements ResolutionLog {
  readonly records = new Map<string, ResolutionRecord>();
  record(entry: ResolutionRecord) {
    this.records.set(`${entry.ticketId}|${entry.outcome}`, entry);
    return Promise.resolve();
  }
  forClient(clientId: string) {
    return Promise.resolve([...this.records.values()].filter((r) => r.clientId === clientId));
  }
  recentSolved(clientId: string, limit: number) {
    return Promise.resolve(
      [...this.records.values()]
        .filter((r) => r.clientId === clientId && SOLVED.has(r.outcome))
        .sort((a, b) => b.at.localeCompare(a.at))
        .slice(0, limit),
    );
  }
  markReopened(ticketId: string, clientId: string, at: string) {
    for (const [key, r] of this.records)
      if (r.ticketId === ticketId && r.clientId === clientId && SOLVED.has(r.outcome) && r.at <= at)
        this.records.set(key, { ...r, reopened: true });
    return Promise.resolve();
  }
}

export class MemoryAudit implements AuditLog {
  readonly records = new Map<string, AuditRecord>();
  record(entry: AuditRecord) {
    this.records.set(`${entry.clientId}|${entry.ticketId}.${entry.step}`, entry);
    return Promise.resolve();
  }
  get(clientId: string, ticketId: string, step: string) {
    return Promise.resolve(this.records.get(`${clientId}|${ticketId}.${step}`));
  }
  /** Oldest first, from `since` on, as the Table adapter answers. */
  forClient(clientId: string, since?: string) {
    return Promise.resolve(
      inTimeOrder(
        [...this.records.values()].filter((r) => r.clientId === clientId && (!since || r.at >= since)),
      ),
    );
  }
}

export class MemoryTokens implements TokenStore {
  readonly used = new Set<string>();
  readonly expiry = new Map<string, Date>();
  use(nonce: string, expiresAt?: Date) {
    const first = !this.used.has(nonce);
    this.used.add(nonce);
    if (expiresAt) this.expiry.set(nonce, expiresAt);
    return Promise.resolve(first);
  }
  forget(nonce: string) {
    this.used.delete(nonce);
    this.expiry.delete(nonce);
    return Promise.resolve();
  }
  sweep(now: Date) {
    let n = 0;
    for (const [nonce, at] of this.expiry)
      if (at <= now) {
        this.used.delete(nonce);
        this.expiry.delete(nonce);
        n++;
      }
    return Promise.resolve(n);
  }
}

/** The outcome log in memory: events once per (ticket, step), summaries folded as they arrive. */
export class MemoryOutcomes implements OutcomeLog {
  readonly recorded = new Map<string, OutcomeEvent>();
  readonly summaryOf = new Map<string, TicketOutcomes>();
  readonly interruptionsByKey = new Map<string, Interruption>();
  readonly deflections = new Map<string, SelfServiceDeflection>();
  record(...events: OutcomeEvent[]) {
    const [first] = events;
    if (events.some((e) => e.clientId !== first?.clientId || e.ticketId !== first.ticketId))
      return Promise.reject(new Error('record: the events of one ticket at a time'));
    const fresh: OutcomeEvent[] = [];
    for (const event of events) {
      const key = `${event.clientId}|${event.ticketId}|${event.step}`;
      if (this.recorded.has(key)) continue;
      this.recorded.set(key, event);
      fresh.push(event);
      const id = `${event.clientId}|${event.ticketId}`;
      this.summaryOf.set(id, applyOutcome(this.summaryOf.get(id), event));
    }
    return Promise.resolve(fresh);
  }
  recordInterruption(i: Interruption) {
    const key = `${i.clientId}|${i.ticketId}|${i.key}`;
    if (!this.interruptionsByKey.has(key)) this.interruptionsByKey.set(key, i);
    return Promise.resolve();
  }
  recordSelfServiceDeflection(d: SelfServiceDeflection) {
    if (!this.deflections.has(`${d.clientId}|${d.key}`)) this.deflections.set(`${d.clientId}|${d.key}`, d);
    return Promise.resolve();
  }
  summaries(clientId: string, from: Date, to: Date) {
    return Promise.resolve(
      [...this.summaryOf.values()]
        .filter((s) => s.clientId === clientId && inRange(s.receivedAt, from, to))
        .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)),
    );
  }
  interruptions(clientId: string, from: Date, to: Date) {
    return Promise.resolve(
      inTimeOrder(
        [...this.interruptionsByKey.values()].filter(
          (i) => i.clientId === clientId && inRange(i.at, from, to),
        ),
      ),
    );
  }
  selfServiceDeflections(clientId: string, from: Date, to: Date) {
    return Promise.resolve(
      [...this.deflections.values()].filter((d) => d.clientId === clientId && inRange(d.at, from, to)).length,
    );
  }
  eventsOf(ticketId: string): OutcomeEvent[] {
    return inTimeOrder([...this.recorded.values()].filter((e) => e.ticketId === ticketId));
  }
  events(clientId: string, ticketId: string) {
    return Promise.resolve(this.eventsOf(ticketId).filter((e) => e.clientId === clientId));
  }
}

const inRange = (at: string, from: Date, to: Date) => {
  const t = Date.parse(at);
  return t >= from.getTime() && t < to.getTime();
};

/** Oldest first by `at`; what was written first stays first among equals (a stable sort). */
const inTimeOrder = <T extends { at: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => a.at.localeCompare(b.at));

/** The Table adapter keeps at most this much of a subject in its list columns. */
const SUMMARY_SUBJECT_CHARS = 500;
const summaryOf = (ticket: Ticket): TicketSummary => {
  const summary = summarizeTicket(ticket);
  return { ...summary, subject: summary.subject.slice(0, SUMMARY_SUBJECT_CHARS) };
};
