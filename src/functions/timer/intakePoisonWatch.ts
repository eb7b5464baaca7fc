import { app, type InvocationContext } from '@azure/functions';

import { createQueueClient, storageConnectionFromSettings } from '../../adapters/tables/storageClients';
import { poisonQueueName } from '../../cli/intakeCommands';
import { services } from '../../index';
import { watchPoison } from './watchPoison';

/**
 * Hourly: alert tier 2 while intake deliveries sit in the poison queue. It runs in the same minute
 * as the Graph subscription timer, so a client instance that scaled to zero wakes once an hour
 * for both (each wake-up keeps an instance polling storage for a while).
 */
app.timer('intakePoisonWatch', {
  schedule: '0 5 * * * *',
  handler: async (_timer: unknown, context: InvocationContext) => {
    const s = await services();
    const poison = createQueueClient(
      storageConnectionFromSettings('AzureWebJobsStorage'),
      poisonQueueName(s.config.intakeQueue),
    );
    const alerted = await watchPoison({ poison, notifier: s.notifier, tokens: s.tokens, now: s.now() });
    if (alerted) context.error(alerted);
  },
});
