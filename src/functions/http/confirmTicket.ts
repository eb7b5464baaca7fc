import { app } from '@azure/functions';

import { durableClientInput, withServices } from '../../composition';
import { confirmHandler } from '../../links/confirmTicket';

/** The "Did this resolve your issue?" links in the mails: GET asks, POST records the answer. */
app.http('confirmTicket', {
  route: 'tickets/{ticketId}/confirm',
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  extraInputs: [durableClientInput],
  handler: withServices((s) =>
    confirmHandler({
      tokens: s.tokens,
      workflow: s.workflowFor,
      linkSigningKey: s.linkSigningKey,
      now: s.now,
    }),
  ),
});
