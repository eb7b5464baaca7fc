import type { InvocationContext } from '@azure/functions';

import { type ClaimStore, isClaim } from '../domain/claim';
import type { ParseResult } from '../domain/intake';
import type { InboundMail } from '../domain/mail';
import {
  completeTicket,
  parsePsaEvent,
  PSA_VENDORS,
  type PsaMapping,
  type PsaVendor,
  toNewTicket,
} from '../domain/psa';
import { ticketIdInSummary } from '../domain/psaRoundTrip';
import type { NewTicket } from '../domain/ticket';
import { type IntakeMessage, parseGenericEvent } from '../domain/webhookIntake';
import { logSafe } from '../http/httpHelpers';
import type { ClientStore } from '../ports/clientStore';
import type { PsaApi } from '../ports/psaApi';
import type { ReviewStore } from '../ports/reviewStore';
import type { TicketStore } from '../ports/ticketStore';
import type { TicketWorkflow } from '../ports/ticketWorkflow';
import type { TokenStore } from '../ports/tokenStore';
import { acknowledgeAndStart, type AcknowledgeNow } from './acknowledgeAtOnce';
import { fileFollowUp } from './followUp';
import { keepAttachments, type MailIntake, placeMail } from './placeMail';
import { deliverPsaChanges } from './psaChanges';

export interface ProcessIntakeDeps {
  tickets: TicketStore;
  /** Tickets are only for clients that are set up: anything else goes to review. */
  clients: Pick<ClientStore, 'get'>;
  workflow: (context: InvocationContext) => TicketWorkflow;
  review: ReviewStore;
  now: () => Date;
  /** Acknowledges a new ticket before its workflow starts (`acknowledgeAtOnce`). */
  acknowledge?: AcknowledgeNow;
  psa?: { vendor: PsaVendor; api: PsaApi; mapping: PsaMapping };
  /** Which PSA notes reached a workflow already. */
  seen?: TokenStore;
  mail?: MailIntake;
  /** Deliveries too large for a queue message arrive as claims on Blob storage. */
  claims?: ClaimStore;
  /** Fetches a message's MIME from Graph by the resource a change notification names. */
  graphMime?: (resource: string) => Promise<Buffer | undefined>;
}

/**
 * What became of one delivery: a new ticket (a follow-up names the finished ticket it follows), a
 * reply delivered to its ticket's workflow, kept for review (and why), or left alone (and why).
 */
export type IntakeOutcome =
  | { kind: 'ticket'; ticketId: string; followUpOf?: string }
  | { kind: 'reply'; ticketId: string }
  | { kind: 'review'; reason: string }
  | { kind: 'ignored'; reason: string };

/** What a delivery is before the client check: a ticket to file, or already an outcome. */
type Placement = { kind: 'new'; ticket: NewTicket } | IntakeOutcome;

const review = (reason: string): IntakeOutcome => ({ kind: 'review', reason });
const ignored = (reason: string): IntakeOutcome => ({ kind: 'ignored', reason });

/** The line the trigger logs for an outcome. */
export function describeIntakeOutcome(outcome: IntakeOutcome): string {
  switch (outcome.kind) {
    case 'ticket':
      return outcome.followUpOf
        ? `a follow-up to ${outcome.followUpOf} became ${outcome.ticketId}`
        : `became ${outcome.ticketId}`;
    case 'reply':
      return `a reply threaded onto ${outcome.ticketId}`;
    case 'review':
      return `could not be placed and was kept for review (${logSafe(outcome.reason, 300)})`;
    case 'ignored':
      return logSafe(outcome.reason, 300);
  }
}

const isPsa = (s: unknown): s is PsaVendor => PSA_VENDORS.includes(s as PsaVendor);

/**
 * Turns one accepted delivery into a ticket or a reply, once: ticket creation is idempotent on
 * (client, external id), mail replies on their Message-ID. A delivery that cannot be placed is kept
 * for review; storage and PSA errors throw, so the queue retries and, after five tries, parks the
 * message in the poison queue (replay it with `autotier intake replay`).
 */
export function processIntake(deps: ProcessIntakeDeps) {
  async function start(ticket: NewTicket, context: InvocationContext) {
    const { ticket: created, created: isNew } = await deps.tickets.create(ticket, deps.now());
    await acknowledgeAndStart(deps.acknowledge, deps.workflow(context), created, isNew, (m) =>
      context.warn(m),
    );
    return created;
  }

  function fromParse<T extends NewTicket>(parsed: ParseResult<T>): Placement {
    return parsed.ok ? { kind: 'new', ticket: parsed.value } : review(parsed.error);
  }

  async function psaOutcome(vendor: PsaVendor, raw: string, context: InvocationContext): Promise<Placement> {
    const psa = deps.psa;
    if (psa?.vendor !== vendor) return review(`no ${vendor} connection is configured`);
    const parsed = parsePsaEvent(vendor, raw);
    if (!parsed.ok) return review(parsed.error);
    const event = parsed.value;
    if (event.actorId && psa.mapping.selfIds.includes(event.actorId))
      return ignored(`${vendor} ticket ${event.ticketId} was changed by autotier itself`);
    // What an engineer did on a ticket autotier knows reaches its workflow.
    if (event.action === 'updated' && deps.seen)
      return ignored(
        await deliverPsaChanges(
          { tickets: deps.tickets, workflow: deps.workflow(context), seen: deps.seen, psa, now: deps.now },
          event,
        ),
      );
    if (event.action !== 'created')
      return ignored(`${vendor} ticket ${event.ticketId}: ${event.action} events are not new tickets`);
    const ticket = completeTicket(event.partial) ?? (await psa.api.getTicket(event.ticketId));
    if (!ticket) return review(`${vendor} has no ticket ${event.ticketId}`);
    // autotier opened it for a mail, portal or API ticket: not a new one.
    if (ticketIdInSummary(ticket.summary))
      return ignored(`${vendor} ticket ${event.ticketId} was opened by autotier`);
    return fromParse(toNewTicket(vendor, ticket, psa.mapping));
  }

  async function handleMail(raw: Buffer, eventId: string, context: InvocationContext): Promise<Placement> {
    const mailDeps = deps.mail;
    if (!mailDeps) return review('mail intake is not configured');
    let mail: InboundMail;
    try {
      mail = await mailDeps.parse(raw);
    } catch (err) {
      return review(`the mail could not be read: ${(err as Error).message}`);
    }
    if (mail.messageId && (await mailDeps.threads.find(mail.messageId)))
      return ignored('this mail was taken in before');
    const placement = await placeMail(mail, eventId, mailDeps);
    if (placement.kind === 'ignored' || placement.kind === 'review') return placement;
    if (placement.kind === 'reply') {
      const { ticket } = placement;
      const event = { kind: 'reply' as const, from: placement.from, text: placement.text.slice(0, 20_000) };
      if ((await deps.workflow(context).raise(ticket.ticketId, event)) !== 'delivered') {
        // The ticket's workflow has finished: the reply starts a new ticket that points back to it.
        const created = await fileFollowUp(
          deps,
          ticket,
          {
            requester: { ...(mail.from.name ? { name: mail.from.name } : {}), email: mail.from.email },
            text: event.text,
            externalId: `mail:${mail.messageId ?? eventId}`,
            channel: 'email',
          },
          context,
        );
        await keepAttachments(mail, created, mailDeps, deps.now());
        if (mail.messageId) await mailDeps.threads.remember(mail.messageId, created.ticketId);
        return { kind: 'ticket', ticketId: created.ticketId, followUpOf: ticket.ticketId };
      }
      await keepAttachments(mail, ticket, mailDeps, deps.now());
      if (placement.participants.length)
        await deps.tickets.update(
          ticket.ticketId,
          (t) => ({ participants: [...new Set([...(t.participants ?? []), ...placement.participants])] }),
          deps.now(),
        );
      if (mail.messageId) await mailDeps.threads.remember(mail.messageId, ticket.ticketId);
      return { kind: 'reply', ticketId: ticket.ticketId };
    }
    const created = await start(placement.input, context);
    await keepAttachments(mail, created, mailDeps, deps.now());
    if (mail.messageId) await mailDeps.threads.remember(mail.messageId, created.ticketId);
    return { kind: 'ticket', ticketId: created.ticketId };
  }

  async function place(
    m: Partial<IntakeMessage>,
    raw: string,
    context: InvocationContext,
  ): Promise<Placement> {
    const eventId = typeof m.eventId === 'string' ? m.eventId : 'unknown';
    if (m.source === 'generic') {
      try {
        const parsed = parseGenericEvent(JSON.parse(raw));
        if (!parsed.ok) return review(parsed.error);
        const { eventId: _eventId, ...ticket } = parsed.value;
        return { kind: 'new', ticket };
      } catch {
        return review('payload is not valid JSON');
      }
    }
    if (isPsa(m.source)) return psaOutcome(m.source, raw, context);
    if (m.source === 'mail') {
      const bytes =
        typeof m.blob === 'string'
          ? await deps.mail?.store.getRaw(m.blob)
          : typeof m.raw === 'string'
            ? Buffer.from(m.raw, 'utf8')
            : undefined;
      if (!bytes) return review('the mail is neither inline nor in a readable blob');
      return handleMail(bytes, eventId, context);
    }
    if (m.source === 'graph') {
      let resource: unknown;
      try {
        resource = (JSON.parse(raw) as { resource?: unknown }).resource;
      } catch {
        return review('payload is not valid JSON');
      }
      if (typeof resource !== 'string' || !deps.graphMime)
        return review('a Graph notification without a message, or Graph is not configured');
      const bytes = await deps.graphMime(resource);
      if (!bytes) return ignored('the message is no longer in the mailbox');
      return handleMail(bytes, eventId, context);
    }
    return review(`unknown source "${String(m.source)}"`);
  }

  return async function takeIn(queued: unknown, context: InvocationContext): Promise<IntakeOutcome> {
    let message = queued;
    if (isClaim(queued)) {
      if (!deps.claims)
        throw new Error('a claimed intake delivery arrived, but no claim store is configured');
      message = await deps.claims.read(queued);
      // The blob goes once the delivery is handled: a claim without one was handled before.
      if (message === undefined) return ignored(`${queued.$claim} was handled before`);
    }
    const result = await handle(message, context);
    if (isClaim(queued)) await deps.claims?.drop(queued);
    return result;
  };

  async function handle(message: unknown, context: InvocationContext): Promise<IntakeOutcome> {
    const m = (message ?? {}) as Partial<IntakeMessage>;
    const raw =
      typeof m.raw === 'string' ? m.raw : typeof m.blob === 'string' ? m.blob : JSON.stringify(message);
    const receivedAt = typeof m.receivedAt === 'string' ? m.receivedAt : deps.now().toISOString();
    let result = await place(m, raw, context);
    if (result.kind === 'new' && !(await deps.clients.get(result.ticket.clientId)))
      result = review(`no client "${result.ticket.clientId}" is set up here`);
    if (result.kind === 'new') {
      const created = await start(result.ticket, context);
      return { kind: 'ticket', ticketId: created.ticketId };
    }
    if (result.kind === 'review')
      await deps.review.keep({
        source: typeof m.source === 'string' ? m.source : 'unknown',
        reason: result.reason,
        raw,
        receivedAt,
      });
    return result;
  }
}
