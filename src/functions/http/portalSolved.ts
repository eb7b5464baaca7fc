import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { portalSolvedHandler } from '../../portal/portalSolved';

/** `POST /api/portal/{clientId}/solved`: "This solved it", a self-service deflection. */
app.http('portalSolved', {
  route: 'portal/{clientId}/solved',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: withServices((s) =>
    portalSolvedHandler({
      clients: s.clients,
      kb: s.kb,
      outcomes: s.outcomes,
      tokens: s.tokens,
      linkSigningKey: s.linkSigningKey,
      easyAuth: s.config.easyAuth,
      now: s.now,
    }),
  ),
});
