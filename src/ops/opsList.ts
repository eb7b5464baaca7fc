import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import type { ClientStore } from '../ports/clientStore';
import type { TicketStore } from '../ports/ticketStore';
import type { WorkflowMonitor } from '../ports/ticketWorkflow';
import { htmlResponse } from './html';
import { refuse, requireSignIn } from './opsAccess';
import { opsListPage } from './opsPages';
import { listForOps, parseOpsFilters, UnknownClientError } from './opsQuery';

export interface OpsListDeps {
  tickets: TicketStore;
  clients: ClientStore;
  monitor: (context: InvocationContext) => WorkflowMonitor;
  now: () => Date;
  /** App Service authentication guards the page instead of the master key. */
  signIn: boolean;
}

/** `GET /api/ops`: the ticket list with its filters, for the MSP's operators. */
export function opsListHandler(deps: OpsListDeps) {
  return async function opsList(req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const now = deps.now();
    const denied = requireSignIn(req, deps.signIn, now);
    if (denied) return denied;
    const parsed = parseOpsFilters(new URL(req.url).searchParams);
    if (!parsed.ok) return refuse(req, 400, 'That filter does not work', parsed.error, now);
    try {
      const list = await listForOps(
        { tickets: deps.tickets, clients: deps.clients, monitor: deps.monitor(context), now: () => now },
        parsed.filters,
      );
      return htmlResponse(200, opsListPage(list, parsed.filters));
    } catch (err) {
      if (err instanceof UnknownClientError) return refuse(req, 404, 'No such client', err.message, now);
      throw err;
    }
  };
}
