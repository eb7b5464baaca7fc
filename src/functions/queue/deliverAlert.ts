import { app } from '@azure/functions';

import {
  alertRoutingSummary,
  deliverAlertFunctionName,
  deliverAlertHandler,
} from '../../alerts/deliverAlert';
import { withServices } from '../../composition';
import { readConfig } from '../../config';
import { AUDIENCES } from '../../domain/alerts';
import { alertQueueName } from '../../names';

// Registered per audience that has a channel, at load time like the HTTP dev endpoints. Without
// AUTOTIER_NOTIFY nothing reads the queues, exactly as before.
const config = readConfig();
for (const audience of AUDIENCES) {
  const channels = config.notify?.[audience];
  if (!channels) continue;
  app.storageQueue(deliverAlertFunctionName(audience), {
    queueName: alertQueueName(config.tierQueuePrefix, audience),
    connection: 'AzureWebJobsStorage',
    handler: withServices((s) => {
      if (!s.alertDeliveries) throw new Error('the alert delivery ledger is not configured');
      return deliverAlertHandler({
        audience,
        channels,
        ledger: s.alertDeliveries,
        webhook: s.chatWebhook,
        mail: s.mail,
        failures: s.alertLog,
        priorityOf: async (ticketId) => (await s.tickets.get(ticketId))?.priority,
        publicBaseUrl: s.publicBaseUrl,
        now: s.now,
      });
    }),
  });
}

app.hook.appStart(() => {
  console.log(`autotier: ${alertRoutingSummary(config.notify, config.tierQueuePrefix)}`);
});
