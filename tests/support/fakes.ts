import {
  type NewTicket,
  newTicket,
  type Ticket,
  ticketIdFromNumber,
  type TimelineEntry,
} from '../../src/domain/ticket';
import type { EmailSender, OutgoingMail, SendResult } from '../../src/ports/emailSender';
import { type CreateResult, TicketNotFoundError, type TicketStore } from '../../src/ports/ticketStore';
import type { TicketWorkflow, TicketWorkflowInput } from '../../src/ports/ticketWorkflow';

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

  update(ticketId: string, change: (ticket: Ticket) => Partial<Ticket>, now: Date): Promise<Ticket> {
    const current = this.tickets.get(ticketId);
    if (!current) return Promise.reject(new TicketNotFoundError(ticketId));
    const next = { ...current, ...change(current), updatedAt: now.toISOString() };
    this.tickets.set(ticketId, next);
    return Promise.resolve(next);
  }

  appendTimeline(ticket: Pick<Ticket, 'ticketId'>, entry: TimelineEntry): Promise<boolean> {
    const list = this.entries.get(ticket.ticketId) ?? [];
    if (list.some((e) => e.step === entry.step)) return Promise.resolve(false);
    list.push(entry);
    this.entries.set(ticket.ticketId, list);
    return Promise.resolve(true);
  }

  timeline(ticket: Pick<Ticket, 'ticketId'>): Promise<TimelineEntry[]> {
    return Promise.resolve(this.entries.get(ticket.ticketId) ?? []);
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
  ensureStarted(input: TicketWorkflowInput) {
    if (this.started.has(input.ticketId)) return Promise.resolve({ started: false });
    this.started.add(input.ticketId);
    return Promise.resolve({ started: true });
  }
  customStatus(ticketId: string) {
    return Promise.resolve(this.started.has(ticketId) ? { stage: 'received' } : undefined);
  }
}
