import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { rateHandler } from '../../links/rateTicket';

/** The one-click ratings in the closing mails: GET shows the page, POST records the score. */
app.http('rateTicket', {
  route: 'tickets/{ticketId}/rate',
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  handler: withServices((s) =>
    rateHandler({
      tokens: s.tokens,
      tickets: s.tickets,
      outcomes: s.outcomes,
      linkSigningKey: s.linkSigningKey,
      now: s.now,
    }),
  ),
});
