import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { durableClientInput, withServices } from '../../composition';
import { workflowHousekeeping } from '../../housekeeping/workflowHousekeeping';

/** In the same minute as the other hourly timers: an idle instance wakes once an hour. */
app.timer('workflowHousekeeping', {
  schedule: '0 5 * * * *',
  extraInputs: [durableClientInput],
  handler: withServices((s) => async (_timer: unknown, context: InvocationContext) => {
    await workflowHousekeeping({
      client: df.getClient(context),
      notifier: s.notifier,
      tokens: s.tokens,
      now: s.now(),
      retentionDays: s.config.historyRetentionDays,
      raw: { copies: s.rawCopies, retentionDays: s.config.rawRetentionDays },
      log: (m) => context.log(m),
      error: (m) => context.error(m),
    });
  }),
});
