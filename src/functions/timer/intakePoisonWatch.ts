import { app, type InvocationContext } from '@azure/functions';

import { withServices } from '../../composition';
import { watchPoisonQueues } from '../../housekeeping/watchPoison';

/**
 * Hourly: alert tier 2 while intake deliveries, or alerts that could not be delivered (when
 * AUTOTIER_NOTIFY has the deliverAlert functions read the audience queues), sit in a poison
 * queue. It runs in the same minute as the Graph subscription timer, so a client instance that
 * scaled to zero wakes once an hour for both (each wake-up keeps an instance polling storage for
 * a while).
 */
app.timer('intakePoisonWatch', {
  schedule: '0 5 * * * *',
  handler: withServices((s) => async (_timer: unknown, context: InvocationContext) => {
    await watchPoisonQueues({
      intakeQueue: s.config.intakeQueue,
      tierQueuePrefix: s.config.tierQueuePrefix,
      ...(s.config.notify ? { notify: s.config.notify } : {}),
      poisonQueue: s.poisonQueue,
      notifier: s.notifier,
      tokens: s.tokens,
      now: s.now,
      error: (m) => context.error(m),
    });
  }),
});
