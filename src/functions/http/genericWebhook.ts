import { app } from '@azure/functions';

import { withServices } from '../../composition';
import { verifyGeneric } from '../../domain/webhookAuth';
import { parseGenericEvent } from '../../domain/webhookIntake';
import { webhookIntakeHandler } from '../../intake/webhookIntake';

/**
 * POST /api/webhooks/generic: headers `x-autotier-timestamp` (unix seconds) and
 * `x-autotier-signature` (base64 HMAC-SHA256 of timestamp + raw body).
 */
app.http('genericWebhook', {
  route: 'webhooks/generic',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: withServices((s) =>
    webhookIntakeHandler({
      source: 'generic',
      verify: (r, raw) =>
        verifyGeneric(
          raw,
          r.headers.get('x-autotier-timestamp'),
          r.headers.get('x-autotier-signature'),
          s.config.webhookSecrets,
          s.now().getTime(),
        ),
      parse: (raw) => {
        try {
          return parseGenericEvent(JSON.parse(raw));
        } catch {
          return { ok: false, error: 'body is not valid JSON' };
        }
      },
      now: () => s.now().getTime(),
      enqueue: (m) => s.intake.send(m),
      seen: s.tokens,
    }),
  ),
});
