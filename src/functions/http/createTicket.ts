import { app } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { createTicketHandler } from '../../tickets/createTicket';

/** `POST /api/tickets`: a ticket from the API. */
app.http('createTicket', {
  route: 'tickets',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClientInput],
  handler: withServices((s) =>
    createTicketHandler({
      tickets: s.tickets,
      clients: s.clients,
      workflow: s.workflowFor,
      acknowledge: s.acknowledgeNow,
      now: s.now,
      publicBaseUrl: s.config.publicBaseUrl,
    }),
  ),
});
