import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { portalArticleHandler } from '../../portal/portalArticle';

/** `GET /api/portal/{clientId}/articles/{articleId}`: one of the client's articles. */
app.http('portalArticle', {
  route: 'portal/{clientId}/articles/{articleId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withServices((s) =>
    portalArticleHandler({
      clients: s.clients,
      kb: s.kb,
      linkSigningKey: s.linkSigningKey,
      easyAuth: s.config.easyAuth,
      now: s.now,
    }),
  ),
});
