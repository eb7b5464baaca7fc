import { app } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { ticketEventsHandler } from '../../tickets/ticketEvents';

/** `POST /api/tickets/{ticketId}/events`: a reply, a plan or a resolution from outside. */
app.http('ticketEvents', {
  route: 'tickets/{ticketId}/events',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClientInput],
  handler: withServices((s) =>
    ticketEventsHandler({
      tickets: s.tickets,
      workflow: s.workflowFor,
      acknowledge: s.acknowledgeNow,
      now: s.now,
    }),
  ),
});
