import { app } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { readConfig } from '../../config';
import { opsAuthLevel } from '../../ops/opsAccess';
import { opsTicketHandler } from '../../ops/opsTicket';

/** `GET /api/ops/tickets/{ticketId}`: one ticket on the ops page. */
app.http('opsTicket', {
  route: 'ops/tickets/{ticketId}',
  methods: ['GET'],
  authLevel: opsAuthLevel(readConfig().appServiceAuth),
  extraInputs: [durableClientInput],
  handler: withServices((s) =>
    opsTicketHandler({
      tickets: s.tickets,
      alerts: s.alertLog,
      monitor: s.monitorFor,
      now: s.now,
      signIn: s.config.appServiceAuth,
    }),
  ),
});
