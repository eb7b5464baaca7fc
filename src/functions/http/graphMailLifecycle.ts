import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { jsonError } from '../../http/httpHelpers';
import { graphLifecycleHandler, handshakeFirst } from '../../intake/graphNotifications';
import { subscriptionDeps } from '../../intake/keepSubscription';

/** POST /api/mail/graph/lifecycle: Graph asks for reauthorization or says the subscription is gone. */
app.http('graphMailLifecycle', {
  route: 'mail/graph/lifecycle',
  methods: ['POST'],
  authLevel: 'anonymous',
  // Graph's subscription handshake is answered at once, before anything else is built.
  handler: handshakeFirst(
    withServices((s) => {
      const subscription = subscriptionDeps(s);
      return subscription
        ? graphLifecycleHandler({ clientStates: s.config.graphClientStates, subscription })
        : () => jsonError(404, 'Graph mail intake is not configured');
    }),
  ),
});
