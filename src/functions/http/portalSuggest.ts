import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { portalSuggestHandler } from '../../portal/portalSuggest';

/** `GET /api/portal/{clientId}/suggest?q=`: the articles that match what the requester typed. */
app.http('portalSuggest', {
  route: 'portal/{clientId}/suggest',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withServices((s) =>
    portalSuggestHandler({ clients: s.clients, kb: s.kb, easyAuth: s.config.easyAuth }),
  ),
});
