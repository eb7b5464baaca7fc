import type { Category } from './categories';
import type { ClientProfile } from './client';
import { suggestedSteps } from './guides';
import type { Priority } from './priority';
import type { PlaybookRecord, Ticket, TimelineEntry } from './ticket';

export type RequesterAnswer = 'yes' | 'no' | 'unclear' | 'silence' | 'none';

export interface SimilarTicket {
  ticketId: string;
  subject: string;
  category?: Category;
  resolution: string;
  score: number;
}

export interface ConversationEntry {
  at: string;
  from: string;
  text: string;
}

/** The optional assistant's briefing, always labelled as machine-written. */
export interface Briefing {
  machineWritten: true;
  label: string;
  summary: string;
  steps: string[];
}

export const BRIEFING_LABEL =
  'Machine-written by a language model from the ticket (secrets and addresses withheld); check it before relying on it.';

/** Everything an engineer needs to pick a ticket up without asking the requester again. */
export interface EscalationPackage {
  /** The assistant's summary and first steps, when one is configured and answered. */
  briefing?: Briefing;
  ticketId: string;
  clientId: string;
  tier: number;
  reason: string;
  priority: Priority;
  priorityReasons: string[];
  category: Category;
  confidence: number;
  ticket: { subject: string; body: string; requester: string; channel: string; createdAt: string };
  conversation: ConversationEntry[];
  automation: { attempted: string | null; requesterAnswer: RequesterAnswer; playbook?: PlaybookRecord };
  systemProfile: ClientProfile['systemProfile'] & { client: string };
  similarTickets: SimilarTicket[];
  suggestedSteps: string[];
  resolutionDue?: string;
  createdAt: string;
}

export interface EscalationInput {
  ticket: Ticket;
  timeline: TimelineEntry[];
  conversation: ConversationEntry[];
  client: ClientProfile;
  similar: SimilarTicket[];
  tier: number;
  reason: string;
  attempted: string | null;
  answer: RequesterAnswer;
  resolutionDue?: string;
  at: string;
  briefing?: { summary: string; steps: string[] };
}

const MAX_BODY = 4000;
/**
 * The package travels in the ticket and in a PSA note: it holds the first message and the latest
 * ones, each cut to a readable length, so it stays bounded however long the conversation grows.
 * The whole conversation is kept with the ticket.
 */
export const PACKAGE_MESSAGES = 20;
const MAX_MESSAGE = 4000;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (cut; the full message is kept with the ticket)` : text;
}

function boundedConversation(conversation: ConversationEntry[]): ConversationEntry[] {
  const kept =
    conversation.length > PACKAGE_MESSAGES
      ? [...conversation.slice(0, 1), ...conversation.slice(-(PACKAGE_MESSAGES - 1))]
      : conversation;
  return kept.map((entry) => ({ ...entry, text: cut(entry.text, MAX_MESSAGE) }));
}

export function buildEscalationPackage(input: EscalationInput): EscalationPackage {
  const { ticket, client } = input;
  const category = ticket.category ?? 'engineering';
  return {
    ...(input.briefing
      ? { briefing: { machineWritten: true as const, label: BRIEFING_LABEL, ...input.briefing } }
      : {}),
    ticketId: ticket.ticketId,
    clientId: ticket.clientId,
    tier: input.tier,
    reason: input.reason,
    priority: ticket.priority ?? 'P3',
    priorityReasons: ticket.reasons ?? [],
    category,
    confidence: ticket.confidence ?? 0,
    ticket: {
      subject: ticket.subject,
      body: cut(ticket.body, MAX_BODY),
      requester: ticket.requester.name
        ? `${ticket.requester.name} <${ticket.requester.email}>`
        : ticket.requester.email,
      channel: ticket.channel,
      createdAt: ticket.createdAt,
    },
    conversation: boundedConversation(input.conversation),
    automation: {
      attempted: input.attempted,
      requesterAnswer: input.answer,
      ...(ticket.playbook ? { playbook: ticket.playbook } : {}),
    },
    systemProfile: { client: client.name, ...client.systemProfile },
    similarTickets: input.similar,
    suggestedSteps: suggestedSteps(category),
    resolutionDue: input.resolutionDue,
    createdAt: input.at,
  };
}

const WORD = /[a-z0-9]{3,}/g;
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'the',
  'and',
  'for',
  'with',
  'that',
  'this',
  'have',
  'not',
  'can',
  'cannot',
  'but',
  'from',
  'are',
  'was',
  'you',
  'please',
  'help',
  'my',
  'our',
]);

export function terms(text: string): Set<string> {
  return new Set((text.toLowerCase().match(WORD) ?? []).filter((w) => !STOP_WORDS.has(w)));
}

/** Jaccard overlap of the words of two texts: a simple, explainable similarity. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}
