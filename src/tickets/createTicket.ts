import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { MAX_TICKET_REQUEST_BYTES, parseNewTicket } from '../domain/intake';
import { jsonError, readJsonBody } from '../http/httpHelpers';
import { acknowledgeAndStart, type AcknowledgeNow } from '../intake/acknowledgeAtOnce';
import type { ClientStore } from '../ports/clientStore';
import type { TicketStore } from '../ports/ticketStore';
import type { TicketWorkflow } from '../ports/ticketWorkflow';

export interface CreateTicketDeps {
  tickets: TicketStore;
  clients: Pick<ClientStore, 'get'>;
  workflow: (context: InvocationContext) => TicketWorkflow;
  /** Sends the acknowledgement while the caller waits (`acknowledgeAtOnce`). */
  acknowledge: AcknowledgeNow;
  now: () => Date;
  publicBaseUrl: string;
}

export function createTicketHandler(deps: CreateTicketDeps) {
  return async function createTicket(
    req: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const body = await readJsonBody(req, MAX_TICKET_REQUEST_BYTES);
    if (!body.ok) return body.response;
    const parsed = parseNewTicket(body.value);
    if (!parsed.ok) return jsonError(400, parsed.error);
    // No ghost clients: a ticket for a client nobody set up is stored nowhere and mails nobody.
    if (!(await deps.clients.get(parsed.value.clientId)))
      return jsonError(400, `clientId: no client "${parsed.value.clientId}" is set up here`);

    const { ticket, created } = await deps.tickets.create(parsed.value, deps.now());
    const { started } = await acknowledgeAndStart(
      deps.acknowledge,
      deps.workflow(context),
      ticket,
      created,
      (m) => context.warn(m),
    );
    context.log(
      `ticket ${ticket.ticketId} for client ${ticket.clientId}: ${created ? 'created' : 'repeat delivery'}, orchestration ${started ? 'started' : 'already running'}`,
    );

    const statusUrl = `${deps.publicBaseUrl}/api/tickets/${ticket.ticketId}`;
    return {
      status: 202,
      jsonBody: { ticketId: ticket.ticketId, statusUrl },
      headers: { Location: statusUrl },
    };
  };
}
