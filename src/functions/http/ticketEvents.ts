import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { parseTicketEvent } from '../../domain/events';
import { services } from '../../index';
import type { TicketStore } from '../../ports/ticketStore';
import type { TicketWorkflow } from '../../ports/ticketWorkflow';
import { durableClientInput, durableTicketWorkflow } from './durableTicketWorkflow';
import { jsonError, readJsonBody } from './httpHelpers';

const MAX_EVENT_BYTES = 64 * 1024;
const TICKET_ID = /^T-\d{1,12}$/;

export interface TicketEventDeps {
  tickets: TicketStore;
  workflow: (context: InvocationContext) => TicketWorkflow;
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
    if (!(await deps.workflow(context).raise(ticketId, event.value)))
      return jsonError(409, `ticket ${ticketId} has no running workflow`);
    context.log(`ticket ${ticketId}: ${event.value.kind} event accepted`);
    return { status: 202, jsonBody: { ticketId, accepted: event.value.kind } };
  };
}

app.http('ticketEvents', {
  route: 'tickets/{ticketId}/events',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClientInput],
  handler: async (req, context) =>
    ticketEventsHandler({ tickets: (await services()).tickets, workflow: durableTicketWorkflow })(
      req,
      context,
    ),
});
