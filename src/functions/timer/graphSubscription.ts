import { app, type InvocationContext } from '@azure/functions';

import { withServices } from '../../composition';
import { keepSubscription, subscriptionDeps } from '../../intake/keepSubscription';

/** Hourly: keeps the support mailbox's Graph subscription alive (when Graph mail intake is configured). */
app.timer('graphSubscription', {
  schedule: '0 5 * * * *',
  runOnStartup: false,
  handler: withServices((s) => {
    const deps = subscriptionDeps(s);
    return async (_timer: unknown, context: InvocationContext) => {
      if (!deps) return;
      const r = await keepSubscription(deps);
      context.log(`graph subscription ${r.action}; expires ${r.subscription.expiresAt}`);
    };
  }),
});
