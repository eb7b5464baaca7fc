/**
 * Every name autotier gives something in Azure, written once: its functions, activities, tables,
 * queues and blob containers. Registration, callers, the composition root, the CLI and the tests
 * all read them from here.
 */
import type { Audience } from './domain/alerts';

export const Orchestrations = {
  ticket: 'ticketOrchestrator',
} as const;

export const Activities = {
  acknowledge: 'acknowledgeTicket',
  classify: 'classifyTicket',
  triage: 'triageTicket',
  runPlaybook: 'runPlaybook',
  sendUpdate: 'sendTicketUpdate',
  escalate: 'escalateTicket',
  updateTicket: 'updateTicket',
  notifyTier: 'notifyTier',
  recordOutcome: 'recordOutcome',
  recordReply: 'recordReply',
  readReply: 'readReply',
} as const;

/** The tables autotier creates, each named `<AUTOTIER_TABLE_PREFIX><base>`. */
export const Tables = {
  tickets: 'Tickets',
  clients: 'Clients',
  events: 'Events',
  alertDeliveries: 'AlertDeliveries',
  resolutions: 'Resolutions',
  outcomes: 'Outcomes',
  tokens: 'Tokens',
  kb: 'Kb',
  review: 'Review',
  mailThreads: 'MailThreads',
  audit: 'Audit',
  outbox: 'Outbox',
  sentMail: 'SentMail',
  graphSubscriptions: 'Graph',
  assistantUsage: 'AssistantUsage',
} as const;

export type TableBase = (typeof Tables)[keyof typeof Tables];

/** Table names must be alphanumeric, start with a letter, and be 3-63 characters long. */
export function tableName(prefix: string, base: TableBase): string {
  const name = `${prefix}${base}`;
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name)) throw new Error(`invalid table name "${name}"`);
  return name;
}

/** The blob containers autotier creates, each named `<prefix in lower case>-<suffix>`. */
export const Containers = {
  /** Published classifier models. */
  models: 'models',
  /** Intake deliveries too large for a queue message (claim check). */
  intake: 'intake',
  /** Inbound mail and its attachments. */
  mail: 'mail',
  /** Knowledge-base pictures. */
  kbImages: 'kb',
} as const;

export function containerName(
  prefix: string,
  container: (typeof Containers)[keyof typeof Containers],
): string {
  return `${prefix.toLowerCase()}-${container}`;
}

/** The queue an audience's alerts wait on (AUTOTIER_TIER_QUEUE_PREFIX: tier1..3, oncall). */
export function alertQueueName(prefix: string, audience: Audience): string {
  return audience === 'oncall' ? `${prefix}oncall` : `${prefix}${audience.slice('tier'.length)}`;
}

/** The queue a queue trigger parks a message in after five failed tries. */
export const poisonQueueName = (queue: string) => `${queue}-poison`;

/** Tickets the assistant filed (a new issue in a reply) wait here for their workflow to start. */
export const ticketStartQueueName = (intakeQueue: string) => `${intakeQueue}-start`;
