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
}

export class TicketNotFoundError extends Error {
  constructor(readonly ticketId: string) {
    super(`ticket ${ticketId} not found`);
    this.name = 'TicketNotFoundError';
  }
}
