import {
  clientForCompany,
  type PsaEvent,
  psaExternalId,
  type PsaMapping,
  type PsaVendor,
} from '../domain/psa';
import { psaActivityCandidates, psaWorkflowEvents, ticketIdInSummary } from '../domain/psaRoundTrip';
import { type Ticket } from '../domain/ticket';
import type { PsaApi } from '../ports/psaApi';
import type { TicketStore } from '../ports/ticketStore';
import type { TicketWorkflow } from '../ports/ticketWorkflow';
import type { TokenStore } from '../ports/tokenStore';

export interface PsaChangeDeps {
  tickets: Pick<TicketStore, 'get' | 'findByExternalId'>;
  workflow: TicketWorkflow;
  /** Which notes and time entries were reported already. */
  seen: TokenStore;
  psa: { vendor: PsaVendor; api: PsaApi; mapping: PsaMapping };
  now: () => Date;
}

/** Notes are remembered longer than any ticket's workflow runs (the reopen window included). */
const REMEMBER_NOTES_MS = 180 * 24 * 60 * 60 * 1000;

/**
 * A change an engineer made in the PSA reaches the ticket's workflow. The webhook only says that
 * the ticket changed (Autotask sends field ids, ConnectWise a ticket snapshot, Halo the action),
 * so the PSA is asked for the ticket's status and its notes and time entries, and what is new
 * becomes events (see `psaWorkflowEvents`). Each note is claimed before it is raised and let go
 * if raising fails, so a retried delivery reports it once; status events set state, so a repeat
 * changes nothing. Returns what happened, for the log.
 */
export async function deliverPsaChanges(deps: PsaChangeDeps, event: PsaEvent): Promise<string> {
  const { vendor, api, mapping } = deps.psa;
  const what = `${vendor} ticket ${event.ticketId}`;
  const ticket = await autotierTicket(deps, event.ticketId);
  if (!ticket) return `${what} is not one of autotier's tickets`;
  const state = await api.ticketState(event.ticketId);
  if (!state) return `${what} is gone from the PSA`;

  const expiresAt = new Date(deps.now().getTime() + REMEMBER_NOTES_MS);
  const candidates = psaActivityCandidates(vendor, mapping, event.ticketId, state);
  const claimed = new Set<string>();
  for (const a of candidates) if (await deps.seen.use(a.key, expiresAt)) claimed.add(a.key);
  const events = psaWorkflowEvents({
    vendor,
    mapping,
    psaTicketId: event.ticketId,
    state,
    ...(event.actorId ? { actor: event.actorId } : {}),
    seen: (key) => !claimed.has(key),
  });
  const delivered: string[] = [];
  try {
    for (const e of events) {
      const result = await deps.workflow.raise(ticket.ticketId, e.event);
      if (result !== 'delivered')
        return `${what}: ${ticket.ticketId}'s workflow has finished; nothing delivered`;
      for (const key of e.keys) claimed.delete(key);
      delivered.push(e.event.kind);
    }
  } finally {
    // What was claimed but not delivered is let go, so the PSA's retry (or the queue's) reports it.
    await Promise.all([...claimed].map((key) => deps.seen.forget(key, expiresAt).catch(() => undefined)));
  }
  return `${what}: ${delivered.join(', ') || 'nothing new'} delivered to ${ticket.ticketId}`;
}

/**
 * The autotier ticket of a PSA ticket: one that came from it, or one autotier opened there (its
 * summary carries the reference, and the ticket must name this PSA ticket back).
 */
async function autotierTicket(deps: PsaChangeDeps, psaTicketId: string): Promise<Ticket | undefined> {
  const { vendor, api, mapping } = deps.psa;
  const psaTicket = await api.getTicket(psaTicketId);
  if (!psaTicket) return undefined;
  const clientId = clientForCompany(mapping, psaTicket.companyKeys);
  const linked = clientId
    ? await deps.tickets.findByExternalId(clientId, psaExternalId(vendor, psaTicketId))
    : undefined;
  if (linked) return linked;
  const named = ticketIdInSummary(psaTicket.summary);
  const ticket = named ? await deps.tickets.get(named) : undefined;
  return ticket?.psaTicket?.vendor === vendor && ticket.psaTicket.id === psaTicketId ? ticket : undefined;
}
