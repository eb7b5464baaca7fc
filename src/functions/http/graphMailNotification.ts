import { app, type HttpHandler } from '@azure/functions';

import { withServices } from '../../composition';
import { jsonError } from '../../http/httpHelpers';
import { graphNotificationHandler, handshakeFirst } from '../../intake/graphNotifications';

/** POST /api/mail/graph: change notifications for new mail in the support mailbox. */
app.http('graphMailNotification', {
  route: 'mail/graph',
  methods: ['POST'],
  authLevel: 'anonymous',
  // Graph's subscription handshake is answered at once, before anything else is built.
  handler: handshakeFirst(
    withServices((s): HttpHandler =>
      s.graphMail
        ? graphNotificationHandler({
            clientStates: s.config.graphClientStates,
            tokens: s.tokens,
            intake: s.intake,
            now: s.now,
          })
        : () => jsonError(404, 'Graph mail intake is not configured'),
    ),
  ),
});
