import { app, type InvocationContext } from '@azure/functions';

import { createQueueClient, storageConnectionFromSettings } from '../../adapters/tables/storageClients';
import { poisonQueueName } from '../../cli/intakeCommands';
import { services } from '../../index';
import { watchPoison } from './watchPoison';

/** Every five minutes: alert tier 2 (at most hourly) while intake deliveries sit in the poison queue. */
app.timer('intakePoisonWatch', {
  schedule: '0 */5 * * * *',
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
