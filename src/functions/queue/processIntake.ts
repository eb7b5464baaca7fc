import { app, type InvocationContext } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { logSafe } from '../../http/httpHelpers';
import { describeIntakeOutcome, processIntake } from '../../intake/processIntake';

/** The intake queue: each accepted delivery becomes a ticket, a reply, a review entry, or nothing. */
app.storageQueue('processIntake', {
  queueName: '%AUTOTIER_INTAKE_QUEUE%',
  connection: 'AzureWebJobsStorage',
  extraInputs: [durableClientInput],
  handler: withServices((s) => {
    const takeIn = processIntake({
      tickets: s.tickets,
      clients: s.clients,
      workflow: s.workflowFor,
      acknowledge: s.acknowledgeNow,
      review: s.review,
      now: s.now,
      psa: s.psaConnection,
      seen: s.tokens,
      mail: s.mailIntake,
      claims: s.intakeClaims,
      graphMime: s.graphMail?.fetchMime.bind(s.graphMail),
    });
    return async (message: unknown, context: InvocationContext) => {
      const outcome = await takeIn(message, context);
      const source = (message as { source?: unknown } | null)?.source;
      const line = `intake (${typeof source === 'string' ? logSafe(source) : 'claim'}): ${describeIntakeOutcome(outcome)}`;
      if (outcome.kind === 'review') context.warn(line);
      else context.log(line);
    };
  }),
});
