import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { htmlResponse } from '../../ops/html';
import { opsAuthLevel, refuse, requireSignIn, signInGuards } from '../../ops/opsAccess';
import { opsListPage } from '../../ops/opsPages';
import { listForOps, parseOpsFilters, UnknownClientError } from '../../ops/opsQuery';
import type { ClientStore } from '../../ports/clientStore';
import type { TicketStore } from '../../ports/ticketStore';
import type { WorkflowMonitor } from '../../ports/ticketWorkflow';

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

app.http('opsList', {
  route: 'ops',
  methods: ['GET'],
  authLevel: opsAuthLevel(),
  extraInputs: [durableClientInput],
  handler: withServices((s) =>
    opsListHandler({
      tickets: s.tickets,
      clients: s.clients,
      monitor: s.monitorFor,
      now: s.now,
      signIn: signInGuards(),
    }),
  ),
});
