import type { ClassificationRecord } from './assistant';
import type { Category } from './categories';
import type { EscalationPackage } from './escalation';
import type { PlaybookAction } from './playbook';
import type { Priority } from './priority';
import { maskSecrets } from './secrets';
import type { SlaView } from './sla';

export const STAGES = [
  'received',
  'classified',
  'resolving',
  'awaiting_confirmation',
  'resolved',
  'escalated',
  'closed',
] as const;
export type Stage = (typeof STAGES)[number];

export const CHANNELS = ['api', 'portal', 'email', 'connectwise', 'autotask', 'halopsa', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export type Route = 'auto' | 'escalate';

export interface Requester {
  name?: string;
  email: string;
}

export interface NewTicket {
  clientId: string;
  requester: Requester;
  subject: string;
  body: string;
  externalId?: string;
  /** The ticket number the PSA shows people, for tickets that came from a PSA. */
  externalNumber?: string;
  /**
   * The PSA ticket autotier opened for a ticket that did not come from the PSA (mail, portal,
   * API): every write-back goes there, and the PSA's events on it reach this ticket's workflow.
   */
  psaTicket?: { vendor: string; id: string; number: string };
  channel: Channel;
  /** The finished ticket this one follows up (a reply that came after its workflow ended). */
  followUpOf?: string;
  /**
   * Addresses besides the requester's that may answer for this ticket: the To and Cc of the
   * requester's own mails on its thread (autotier's addresses left out), lower case.
   */
  participants?: string[];
}

export interface Ticket extends NewTicket {
  ticketId: string;
  stage: Stage;
  category?: Category;
  priority?: Priority;
  confidence?: number;
  route?: Route;
  tier?: number;
  reasons?: string[];
  /** Which source decided the classification (rules, the model, or the assistant's second opinion) and why. */
  classification?: ClassificationRecord;
  sla?: SlaView;
  escalation?: EscalationPackage;
  /** The guide or playbook automation tried, if any. */
  attempted?: string;
  /** The guide that was sent, so reminders repeat it and its outcome counts for its article. */
  guide?: { articleId: string; title: string; steps: string[] };
  /** What the playbook checked and did, for the engineer if it comes to that. */
  playbook?: PlaybookRecord;
  reopens?: number;
  /** Who resolved it, when, and (for an engineer) their internal note. */
  resolution?: Resolution;
  /** Tickets filed from replies that came after this one's workflow ended. */
  followUps?: string[];
  /** Files that came with the ticket's mails, kept in Blob storage. */
  attachments?: { filename: string; contentType: string; size: number; blob: string }[];
  /**
   * The requester's status page on the portal, with its signed read-and-reply token: set by the
   * portal before the workflow starts, so the acknowledgement mail carries it. Never shown by the API.
   */
  statusLink?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Who resolved a ticket. Only the requester's own yes counts as deflection and for the guide;
 * an engineer's fix and a ticket closed after silence are kept apart.
 */
export interface Resolution {
  by: 'requester' | 'engineer' | 'silence';
  at: string;
  note?: string;
}

/** What a list of tickets shows of each: no body, conversation or escalation package. */
export interface TicketSummary {
  ticketId: string;
  clientId: string;
  subject: string;
  stage: Stage;
  category?: string;
  priority?: string;
  tier?: number;
  createdAt: string;
  updatedAt: string;
}

export function summarizeTicket(ticket: Ticket): TicketSummary {
  return {
    ticketId: ticket.ticketId,
    clientId: ticket.clientId,
    subject: ticket.subject,
    stage: ticket.stage,
    ...(ticket.category ? { category: ticket.category } : {}),
    ...(ticket.priority ? { priority: ticket.priority } : {}),
    ...(ticket.tier !== undefined ? { tier: ticket.tier } : {}),
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
  };
}

/** The requester, or an address the ticket's own mail thread carried. */
export function mayAnswer(ticket: Pick<Ticket, 'requester' | 'participants'>, from: string): boolean {
  const address = from.trim().toLowerCase();
  return (
    address === ticket.requester.email.trim().toLowerCase() || (ticket.participants ?? []).includes(address)
  );
}

export interface PlaybookRecord {
  name: string;
  findings: string[];
  actions: PlaybookAction[];
  /** Why the playbook stopped and handed over, if it did. */
  stoppedBecause?: string;
}

/** One line of a ticket's history. `step` is unique per ticket, which makes appends idempotent. */
export interface TimelineEntry {
  step: string;
  at: string;
  stage?: Stage;
  note: string;
}

const FIRST_TICKET_NUMBER = 1000;

/** A reference number as people and URLs carry it: `T-1042`. */
export const isTicketId = (value: string): boolean => /^T-\d{1,12}$/.test(value);

export function ticketIdFromNumber(n: number): string {
  return `T-${FIRST_TICKET_NUMBER + n}`;
}

/** The token mails carry in their subject so that replies thread onto the ticket. */
export function subjectToken(ticketId: string): string {
  return `[#${ticketId}]`;
}

/** Durable instance ids are derived from ticket ids so that a ticket has exactly one orchestration. */
export function orchestrationInstanceId(ticketId: string): string {
  return `ticket-${ticketId}`;
}

/**
 * A new ticket. Passwords and one-time codes people typed are masked here, before anything
 * stores, shows, classifies or forwards the ticket; the raw copy (a mail in Blob, a review entry)
 * keeps the original until the raw retention ends.
 */
export function newTicket(ticketId: string, input: NewTicket, now: Date): Ticket {
  const at = now.toISOString();
  return {
    ...input,
    subject: maskSecrets(input.subject).text,
    body: maskSecrets(input.body).text,
    ticketId,
    stage: 'received',
    createdAt: at,
    updatedAt: at,
  };
}
