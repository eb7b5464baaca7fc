import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { isTicketId } from '../domain/ticket';
import type { TicketAlertLog } from '../ports/alertDelivery';
import type { TicketStore } from '../ports/ticketStore';
import type { WorkflowMonitor } from '../ports/ticketWorkflow';
import { htmlResponse } from './html';
import { refuse, requireSignIn } from './opsAccess';
import { opsTicketPage } from './opsPages';
import { ticketForOps } from './opsQuery';

export interface OpsTicketHandlerDeps {
  tickets: TicketStore;
  alerts: TicketAlertLog;
  monitor: (context: InvocationContext) => WorkflowMonitor;
  now: () => Date;
  signIn: boolean;
}

/** `GET /api/ops/tickets/{ticketId}`: one ticket, its workflow's history, its package and alerts. */
export function opsTicketHandler(deps: OpsTicketHandlerDeps) {
  return async function opsTicket(req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const now = deps.now();
    const denied = requireSignIn(req, deps.signIn, now);
    if (denied) return denied;
    const ticketId = req.params.ticketId ?? '';
    if (!isTicketId(ticketId))
      return refuse(req, 400, 'Not a ticket', 'ticketId: must look like T-1042', now);
    const view = await ticketForOps(
      { tickets: deps.tickets, monitor: deps.monitor(context), alerts: deps.alerts, now: () => now },
      ticketId,
    );
    if (!view) return refuse(req, 404, 'No such ticket', `ticket ${ticketId} not found`, now);
    return htmlResponse(200, opsTicketPage(view));
  };
}
