import { createHash } from 'node:crypto';

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { parseTicketEvent } from '../domain/events';
import type { TicketEvent } from '../domain/lifecycle';
import { mayAnswer, type Ticket } from '../domain/ticket';
import { jsonError, readJsonBody } from '../http/httpHelpers';
import { fileFollowUp, type FollowUpDeps } from '../intake/followUp';

const MAX_EVENT_BYTES = 64 * 1024;
const TICKET_ID = /^T-\d{1,12}$/;

export type TicketEventDeps = FollowUpDeps;

/**
 * Events that would change nothing, or change someone else's ticket: a reply from an address
 * that is neither the requester nor on the ticket's thread (403), a plan before a person has the
 * ticket or after it is resolved, a resolution of a resolved ticket (409).
 */
function refusal(ticket: Ticket, event: TicketEvent): { status: number; error: string } | undefined {
  if (event.kind === 'reply' && !mayAnswer(ticket, event.from))
    return {
      status: 403,
      error: `${event.from} is not the requester of ${ticket.ticketId} nor on its mail thread; only they may answer`,
    };
  if (event.kind === 'plan' && ticket.stage !== 'escalated')
    return {
      status: 409,
      error: `ticket ${ticket.ticketId} is ${ticket.stage.replace(/_/g, ' ')}; a plan is recorded only while it is escalated to a person`,
    };
  if (event.kind === 'resolved' && (ticket.stage === 'resolved' || ticket.stage === 'closed'))
    return { status: 409, error: `ticket ${ticket.ticketId} is already ${ticket.stage}` };
  return undefined;
}

export function ticketEventsHandler(deps: TicketEventDeps) {
  return async function ticketEvents(
    req: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const ticketId = req.params.ticketId ?? '';
    if (!TICKET_ID.test(ticketId)) return jsonError(400, 'ticketId: must look like T-1042');
    const body = await readJsonBody(req, MAX_EVENT_BYTES);
    if (!body.ok) return body.response;
    const event = parseTicketEvent(body.value);
    if (!event.ok) return jsonError(400, event.error);
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket) return jsonError(404, `ticket ${ticketId} not found`);
    const refused = refusal(ticket, event.value);
    if (refused) return jsonError(refused.status, refused.error);
    const raised = await deps.workflow(context).raise(ticketId, event.value);
    if (raised === 'delivered') {
      context.log(`ticket ${ticketId}: ${event.value.kind} event accepted`);
      return { status: 202, jsonBody: { ticketId, accepted: event.value.kind } };
    }
    // The workflow has ended (or its history was purged): the requester's reply starts a linked
    // follow-up; nothing else can change a finished ticket.
    const reply = event.value;
    if (reply.kind === 'reply') {
      const followUp = await fileFollowUp(
        deps,
        ticket,
        {
          requester: ticket.requester,
          text: reply.text,
          channel: 'api',
          externalId: `follow-up:${ticketId}:${createHash('sha256').update(reply.text).digest('hex').slice(0, 24)}`,
        },
        context,
      );
      context.log(`ticket ${ticketId} is finished; the reply became ${followUp.ticketId}`);
      return { status: 202, jsonBody: { ticketId, followUpTicketId: followUp.ticketId } };
    }
    return jsonError(409, `ticket ${ticketId} is finished; only a reply can follow it up`);
  };
}
