import { app } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { getTicketHandler } from '../../tickets/getTicket';

/** `GET /api/tickets/{ticketId}`: the ticket, its timeline and its workflow's status. */
app.http('getTicket', {
  route: 'tickets/{ticketId}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClientInput],
  handler: withServices((s) => getTicketHandler({ tickets: s.tickets, workflow: s.workflowFor })),
});
