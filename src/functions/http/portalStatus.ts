import { app } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { portalStatusHandler } from '../../portal/portalStatus';

/** `GET`, `POST /api/portal/{clientId}/tickets/{ticketId}?token=`: a request's status page, its yes/no answer and reply. */
app.http('portalStatus', {
  route: 'portal/{clientId}/tickets/{ticketId}',
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  extraInputs: [durableClientInput],
  handler: withServices((s) =>
    portalStatusHandler({
      tickets: s.tickets,
      clients: s.clients,
      workflow: s.workflowFor,
      acknowledge: s.acknowledgeNow,
      linkSigningKey: s.linkSigningKey,
      publicBaseUrl: s.publicBaseUrl,
      now: s.now,
    }),
  ),
});
