import { app, type InvocationContext } from '@azure/functions';

import { services } from '../../index';
import { keepSubscription, type SubscriptionDeps } from './keepSubscription';

export async function subscriptionDeps(): Promise<SubscriptionDeps | undefined> {
  const s = await services();
  const clientState = s.config.graphClientStates[0];
  if (!s.graphMail || !s.graphSubscriptions || !clientState) return undefined;
  return {
    graph: s.graphMail,
    store: s.graphSubscriptions,
    publicBaseUrl: s.publicBaseUrl,
    clientState,
    now: s.now,
  };
}

app.timer('graphSubscription', {
  schedule: '0 5 * * * *',
  runOnStartup: false,
  handler: async (_timer: unknown, context: InvocationContext) => {
    const deps = await subscriptionDeps();
    if (!deps) return;
    const r = await keepSubscription(deps);
    context.log(`graph subscription ${r.action}; expires ${r.subscription.expiresAt}`);
  },
});
