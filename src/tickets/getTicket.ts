import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { jsonError } from '../http/httpHelpers';
import type { TicketStore } from '../ports/ticketStore';
import type { TicketWorkflow } from '../ports/ticketWorkflow';

export interface GetTicketDeps {
  tickets: TicketStore;
  workflow: (context: InvocationContext) => TicketWorkflow;
}

const TICKET_ID = /^T-\d{1,12}$/;

export function getTicketHandler(deps: GetTicketDeps) {
  return async function getTicket(req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const ticketId = req.params.ticketId ?? '';
    if (!TICKET_ID.test(ticketId)) return jsonError(400, 'ticketId: must look like T-1042');
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket) return jsonError(404, `ticket ${ticketId} not found`);
    const [timeline, workflowStatus] = await Promise.all([
      deps.tickets.timeline(ticket),
      deps.workflow(context).customStatus(ticketId),
    ]);
    return {
      status: 200,
      jsonBody: {
        ticketId: ticket.ticketId,
        clientId: ticket.clientId,
        subject: ticket.subject,
        stage: ticket.stage,
        category: ticket.category ?? null,
        priority: ticket.priority ?? null,
        confidence: ticket.confidence ?? null,
        route: ticket.route ?? null,
        tier: ticket.tier ?? null,
        ...(ticket.classification ? { classification: ticket.classification } : {}),
        sla: ticket.sla ?? null,
        attempted: ticket.attempted ?? null,
        reopens: ticket.reopens ?? 0,
        // Who resolved it: the requester's yes, an engineer (with their internal note), or silence.
        resolution: ticket.resolution ?? null,
        channel: ticket.channel,
        ...(ticket.externalNumber ? { externalNumber: ticket.externalNumber } : {}),
        ...(ticket.followUpOf ? { followUpOf: ticket.followUpOf } : {}),
        ...(ticket.followUps?.length ? { followUps: ticket.followUps } : {}),
        attachments: (ticket.attachments ?? []).map(({ filename, contentType, size }) => ({
          filename,
          contentType,
          size,
        })),
        createdAt: ticket.createdAt,
        updatedAt: ticket.updatedAt,
        workflow: workflowStatus ?? null,
        timeline,
        // What the playbook checked and did: also for tickets it resolved (a licence it assigned).
        ...(ticket.playbook ? { playbook: ticket.playbook } : {}),
        ...(ticket.escalation ? { escalation: ticket.escalation } : {}),
      },
    };
  };
}
