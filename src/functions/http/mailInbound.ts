import { app, type HttpHandler } from '@azure/functions';

import { withServices } from '../../composition';
import { jsonError } from '../../http/httpHelpers';
import { mailInboundHandler } from '../../intake/mailInbound';

/** POST /api/mail/inbound: one mail as raw MIME (or SendGrid Inbound Parse), with Basic auth. */
app.http('mailInbound', {
  route: 'mail/inbound',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: withServices((s): HttpHandler =>
    s.config.mailIntakeSecrets.length === 0
      ? () => jsonError(404, 'mail intake is not configured')
      : mailInboundHandler({
          store: s.mailIntake.store,
          secrets: s.config.mailIntakeSecrets,
          intake: s.intake,
          now: s.now,
        }),
  ),
});
