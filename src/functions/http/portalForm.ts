import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { portalFormHandler } from '../../portal/portalForm';

/** `GET /api/portal/{clientId}`: the requester portal's form. */
app.http('portalForm', {
  route: 'portal/{clientId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withServices((s) =>
    portalFormHandler({
      clients: s.clients,
      linkSigningKey: s.linkSigningKey,
      easyAuth: s.config.easyAuth,
      now: s.now,
    }),
  ),
});
