import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { acsDeliveryReportHandler } from '../../tickets/acsDeliveryReport';

/** ACS's email delivery reports, through Event Grid. */
app.eventGrid('acsDeliveryReport', {
  handler: withServices((s) =>
    acsDeliveryReportHandler({
      ledger: s.sendLedger,
      tickets: s.tickets,
      notifier: s.notifier,
      now: s.now,
    }),
  ),
});
