import type { ConversationEntry } from '../domain/escalation';
import type { NewTicket, Stage, Ticket, TicketSummary, TimelineEntry } from '../domain/ticket';

export interface CreateResult {
  ticket: Ticket;
  /** false when (clientId, externalId) was seen before and the earlier ticket is returned. */
  created: boolean;
}

export interface TicketListQuery {
  clientId: string;
  /** At most this many tickets come back, newest first. */
  limit: number;
  /** Only tickets filed before this one (the `next` of the previous page). */
  before?: string;
  stage?: Stage;
  /**
   * How many of the client's tickets one call may look through for `stage` before it stops
   * (with `next` set); a filter never turns into a read of the client's whole history.
   */
  scanLimit?: number;
}

export interface TicketPage {
  tickets: TicketSummary[];
  /** Where the next (older) page starts: pass it as `before`; absent when nothing older is left. */
  next?: string;
}

export interface TicketStore {
  create(input: NewTicket, now: Date): Promise<CreateResult>;
  get(ticketId: string): Promise<Ticket | undefined>;
  /** The ticket created for (clientId, externalId), or linked to it with `linkExternal`. */
  findByExternalId(clientId: string, externalId: string): Promise<Ticket | undefined>;
  /**
   * Names the ticket by another external id (the PSA ticket autotier opened for it), so that
   * `create` and `findByExternalId` with that id find this ticket. The first link wins: returns
   * the ticket id the external id belongs to.
   */
  linkExternal(ticket: Pick<Ticket, 'ticketId' | 'clientId'>, externalId: string): Promise<string>;
  /**
   * Read-modify-write with optimistic concurrency; `change` may run more than once. With `note`,
   * the step's timeline entry is added with the change, in the same write, unless that step was
   * already recorded (a retried step: the change is still applied).
   */
  update(
    ticketId: string,
    change: (ticket: Ticket) => Partial<Ticket>,
    now: Date,
    note?: TimelineEntry,
  ): Promise<Ticket>;
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
  /** A client's tickets, newest first, a bounded page at a time. */
  list(query: TicketListQuery): Promise<TicketPage>;
  /** The summaries of these tickets (unknown ids are left out), in the order asked. */
  summaries(ticketIds: string[]): Promise<TicketSummary[]>;
}

export class TicketNotFoundError extends Error {
  constructor(readonly ticketId: string) {
    super(`ticket ${ticketId} not found`);
    this.name = 'TicketNotFoundError';
  }
}
