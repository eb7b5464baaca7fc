import { app, type InvocationContext } from '@azure/functions';

import { withServices } from '../../composition';
import { AUDIENCES } from '../../domain/alerts';
import { watchPoison } from '../../housekeeping/watchPoison';
import { alertQueueName } from '../../names';

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
    const watched: { queue: string; holds: 'intake' | 'alerts' }[] = [
      { queue: s.config.intakeQueue, holds: 'intake' },
      ...AUDIENCES.filter((a) => s.config.notify?.[a]).map((a) => ({
        queue: alertQueueName(s.config.tierQueuePrefix, a),
        holds: 'alerts' as const,
      })),
    ];
    for (const { queue, holds } of watched) {
      const alerted = await watchPoison({
        poison: s.poisonQueue(queue),
        notifier: s.notifier,
        tokens: s.tokens,
        now: s.now(),
        holds,
      });
      if (alerted) context.error(alerted);
    }
  }),
});
