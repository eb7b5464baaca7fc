import type { P1Settings } from '../../domain/aroundTheClock';
import type { CategoryModel } from '../../domain/classification';
import type { ClientProfile } from '../../domain/client';
import { RATING_LINK_LIFETIME_MS, ratingSigningKey, signConfirmToken } from '../../domain/confirmLink';
import type { LifecycleSettings } from '../../domain/lifecycle';
import * as messages from '../../domain/messages';
import type { OutcomeEvent, OutcomeFact } from '../../domain/metrics';
import type { SlaTier, SlaView } from '../../domain/sla';
import type { Stage, Ticket } from '../../domain/ticket';
import type { Assistant } from '../../ports/assistant';
import type { AuditLog } from '../../ports/auditLog';
import type { ClientStore } from '../../ports/clientStore';
import type { DirectoryFor } from '../../ports/directory';
import type { EmailSender } from '../../ports/emailSender';
import type { KbImages, KnowledgeBase } from '../../ports/knowledgeBase';
import type { Notifier } from '../../ports/notifier';
import type { OutcomeLog } from '../../ports/outcomeLog';
import type { PsaConnector } from '../../ports/psaConnector';
import type { ResolutionLog } from '../../ports/resolutionLog';
import { TicketNotFoundError, type TicketStore } from '../../ports/ticketStore';
import type { TicketWorkflowInput } from '../../ports/ticketWorkflow';

/** What every ticket activity receives; the workflow's proxy fills it in. */
export interface TicketStepInput {
  ticketId: string;
  /** Orchestration time of the step, so timelines follow the orchestration's clock. */
  at: string;
}

export interface TicketContext {
  clientId: string;
  slaTier: SlaTier;
  businessHours: ClientProfile['businessHours'];
  lifecycle: LifecycleSettings;
  p1: P1Settings;
  autoThreshold: number;
  /** Present (true) only when the assistant is configured: the workflow may ask it to read replies. */
  assistant?: true;
}

export interface TicketActivityDeps {
  tickets: TicketStore;
  mail: EmailSender;
  clients: ClientStore;
  notifier: Notifier;
  psa: PsaConnector;
  resolutions: ResolutionLog;
  /** Outcome events for the metrics: every step that matters, once per (ticket, step). */
  outcomes: OutcomeLog;
  linkSigningKey: string;
  publicBaseUrl: string;
  classifier?: CategoryModel;
  kb?: KnowledgeBase;
  kbImages?: KbImages;
  /** Every action on a user or licence is written here. */
  audit: AuditLog;
  /** Each client's directory (Microsoft Graph); absent or undefined: guides only. */
  directoryFor?: DirectoryFor;
  /** Who acts, as the audit log names it. */
  actor?: string;
  /** The optional language-model assistant; absent: autotier's own classifier and rules only. */
  assistant?: Assistant;
  /** Starts a ticket's workflow later (from a queue): a new issue the assistant found in a reply. */
  startTicket?: (input: TicketWorkflowInput) => Promise<void>;
}

const CONFIRM_LINK_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

/** A client with no profile yet still gets sane defaults rather than a failed ticket. */
function fallbackClient(clientId: string): ClientProfile {
  return {
    clientId,
    name: clientId,
    slaTier: 'standard',
    businessHours: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
    autoThreshold: 0.6,
    vipEmails: [],
    systemProfile: { devices: [], software: [], recentChanges: [] },
  };
}

/**
 * What the ticket activities share. Each activity runs at least once, so each is idempotent: mails
 * carry a key per (ticket, step), timeline and conversation entries are unique per step, updates
 * set absolute values, and notifications and PSA write-backs are keyed.
 */
export function createActivityKit(deps: TicketActivityDeps) {
  /** An outcome event for the metrics, keyed by (ticket, step) like every other side effect. */
  const event = (
    ticket: Ticket,
    step: string,
    at: string,
    fact: OutcomeFact,
    sla?: SlaView,
  ): OutcomeEvent => ({
    clientId: ticket.clientId,
    ticketId: ticket.ticketId,
    receivedAt: ticket.createdAt,
    step,
    at,
    ...(sla ? { responseDue: sla.responseDue } : {}),
    ...fact,
  });
  const load = async (ticketId: string): Promise<Ticket> => {
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket) throw new TicketNotFoundError(ticketId);
    return ticket;
  };
  const client = async (clientId: string): Promise<ClientProfile> =>
    (await deps.clients.get(clientId)) ?? fallbackClient(clientId);
  return {
    deps,
    load,
    client,
    /** The ticket and its client's profile, for the steps that need both. */
    loadWithProfile: async (ticketId: string): Promise<{ ticket: Ticket; profile: ClientProfile }> => {
      const ticket = await load(ticketId);
      return { ticket, profile: await client(ticket.clientId) };
    },
    send: (ticket: Ticket, step: string, message: messages.MailMessage) =>
      deps.mail.send({ ...message, idempotencyKey: messages.mailKey(ticket.ticketId, step) }),
    note: (ticket: Ticket, step: string, at: string, stage: Stage | undefined, text: string) =>
      deps.tickets.appendTimeline(ticket, { step, at, stage, note: text }),
    confirmLinks: (ticket: Ticket, nonce: string, at: string): messages.ConfirmLinks => {
      const token = signConfirmToken(
        { ticketId: ticket.ticketId, nonce, expiresAt: Date.parse(at) + CONFIRM_LINK_LIFETIME_MS },
        deps.linkSigningKey,
      );
      const base = `${deps.publicBaseUrl}/api/tickets/${ticket.ticketId}/confirm?token=${encodeURIComponent(token)}`;
      return { yes: `${base}&answer=yes`, no: `${base}&answer=no` };
    },
    /** The closing mail's one-click ratings: signed with the rating key, one nonce per mail. */
    ratingLinks: (ticket: Ticket, step: string, at: string): messages.RatingLinks => {
      const token = signConfirmToken(
        {
          ticketId: ticket.ticketId,
          nonce: `${ticket.ticketId}.rate.${step}`,
          expiresAt: Date.parse(at) + RATING_LINK_LIFETIME_MS,
        },
        ratingSigningKey(deps.linkSigningKey),
      );
      const link = (score: number) =>
        `${deps.publicBaseUrl}/api/tickets/${ticket.ticketId}/rate?score=${score}&token=${encodeURIComponent(token)}`;
      return [link(1), link(2), link(3), link(4), link(5)];
    },
    event,
    outcome: (ticket: Ticket, step: string, at: string, fact: OutcomeFact, sla?: SlaView) =>
      deps.outcomes.record(event(ticket, step, at, fact, sla)),
    /** Credits or debits the guide the requester was sent, once per key. */
    countOutcome: async (ticket: Ticket, fixed: boolean, key: string) => {
      if (deps.kb && ticket.guide)
        await deps.kb.recordOutcome(ticket.clientId, ticket.guide.articleId, fixed, key);
    },
  };
}

export type ActivityKit = ReturnType<typeof createActivityKit>;
