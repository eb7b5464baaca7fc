import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { genericWebhookHandler } from '../../intake/webhookIntake';

/** POST /api/webhooks/generic: a signed ticket from any system (see genericWebhookHandler). */
app.http('genericWebhook', {
  route: 'webhooks/generic',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: withServices((s) =>
    genericWebhookHandler({
      webhookSecrets: s.config.webhookSecrets,
      intake: s.intake,
      tokens: s.tokens,
      now: s.now,
    }),
  ),
});
