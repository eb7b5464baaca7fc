import { summarizeTicket, type Ticket, type TicketSummary } from '../../domain/ticket';
import { fromChunks, toChunks } from './chunked';

// How a ticket is kept in a table row (TableTicketStore describes the table's layout).

/** A subject column is for a list; the document keeps the whole subject. */
const MAX_SUBJECT_COLUMN = 500;

/** The ticket as JSON across chunk properties (`n`, `d0`...), plus a few plain columns to read at a glance. */
export type TicketEntity = {
  partitionKey: string;
  rowKey: string;
  stage: string;
  createdAt: string;
  updatedAt: string;
  subject: string;
  [chunk: string]: string | number;
};

/**
 * Row keys sort ascending, so T-n is keyed by 999999999999 - n (ticket numbers have at most 12
 * digits): the newest ticket comes first, and T-10000 after T-9999, not between T-1000 and T-1001.
 */
export function newestFirstKey(ticketId: string): string {
  const n = Number(ticketId.replace(/^T-/, ''));
  if (!Number.isSafeInteger(n) || n < 0 || n > 999_999_999_999)
    throw new Error(`not a ticket id: ${ticketId}`);
  return `o|${String(999_999_999_999 - n).padStart(12, '0')}`;
}

export const summaryOf = (ticket: Ticket): TicketSummary => {
  const summary = summarizeTicket(ticket);
  return { ...summary, subject: summary.subject.slice(0, MAX_SUBJECT_COLUMN) };
};

export function toEntity(ticket: Ticket): TicketEntity {
  const { category, priority, tier, ...columns } = summaryOf(ticket);
  return {
    partitionKey: ticket.clientId,
    rowKey: `t|${ticket.ticketId}`,
    stage: columns.stage,
    createdAt: columns.createdAt,
    updatedAt: columns.updatedAt,
    subject: columns.subject,
    ...(category ? { category } : {}),
    ...(priority ? { priority } : {}),
    ...(tier !== undefined ? { tier } : {}),
    ...toChunks(JSON.stringify(ticket)),
  };
}

export function fromEntity(entity: Record<string, unknown>): Ticket {
  return JSON.parse(ticketJson(entity)) as Ticket;
}

export function ticketJson(entity: Record<string, unknown>): string {
  // Rows written before tickets were chunked hold the body apart and the rest in `doc`.
  if (typeof entity.doc === 'string')
    return JSON.stringify({
      ...(JSON.parse(entity.doc) as Omit<Ticket, 'body'>),
      body: typeof entity.body === 'string' ? entity.body : '',
    });
  return fromChunks(entity);
}
