import type { ConversationEntry } from '../domain/escalation';
import type { NewTicket, Ticket, TimelineEntry } from '../domain/ticket';

export interface CreateResult {
  ticket: Ticket;
  /** false when (clientId, externalId) was seen before and the earlier ticket is returned. */
  created: boolean;
}

export interface TicketStore {
  create(input: NewTicket, now: Date): Promise<CreateResult>;
  get(ticketId: string): Promise<Ticket | undefined>;
  /** Read-modify-write with optimistic concurrency; `change` may run more than once. */
  update(ticketId: string, change: (ticket: Ticket) => Partial<Ticket>, now: Date): Promise<Ticket>;
  /** Adds an entry once per (ticket, step); returns false when that step was already recorded. */
  appendTimeline(ticket: Pick<Ticket, 'ticketId' | 'clientId'>, entry: TimelineEntry): Promise<boolean>;
  timeline(ticket: Pick<Ticket, 'ticketId' | 'clientId'>): Promise<TimelineEntry[]>;
  /** Adds what someone said, once per key; returns false when that key was already recorded. */
  appendConversation(
    ticket: Pick<Ticket, 'ticketId' | 'clientId'>,
    key: string,
    entry: ConversationEntry,
  ): Promise<boolean>;
  conversation(ticket: Pick<Ticket, 'ticketId' | 'clientId'>): Promise<ConversationEntry[]>;
}

export class TicketNotFoundError extends Error {
  constructor(readonly ticketId: string) {
    super(`ticket ${ticketId} not found`);
    this.name = 'TicketNotFoundError';
  }
}
