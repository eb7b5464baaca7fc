import { app } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { portalFileHandler } from '../../portal/portalFile';

/** `POST /api/portal/{clientId}/tickets`: files a ticket from the portal's form. */
app.http('portalFile', {
  route: 'portal/{clientId}/tickets',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [durableClientInput],
  handler: withServices((s) =>
    portalFileHandler({
      tickets: s.tickets,
      clients: s.clients,
      tokens: s.tokens,
      attachments: s.mailIntake.store,
      workflow: s.workflowFor,
      acknowledge: s.acknowledgeNow,
      linkSigningKey: s.linkSigningKey,
      publicBaseUrl: s.publicBaseUrl,
      easyAuth: s.config.easyAuth,
      now: s.now,
    }),
  ),
});
