import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { verifyGeneric } from '../../domain/webhookAuth';
import { type IntakeMessage, parseGenericEvent } from '../../domain/webhookIntake';
import { services } from '../../index';
import type { TokenStore } from '../../ports/tokenStore';
import { jsonError, readBodyBytes } from './httpHelpers';

/** Largest webhook body accepted; larger deliveries get 413. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

export interface GenericWebhookDeps {
  secrets: string[];
  now: () => number;
  enqueue: (message: IntakeMessage) => Promise<unknown>;
  seen: TokenStore;
}

/**
 * POST /api/webhooks/generic: headers `x-autotier-timestamp` (unix seconds) and
 * `x-autotier-signature` (base64 HMAC-SHA256 of timestamp + raw body). Answers at once; the
 * ticket is made from the intake queue.
 */
export function genericWebhookHandler(deps: GenericWebhookDeps) {
  return async function genericWebhook(
    req: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const body = await readBodyBytes(req, MAX_WEBHOOK_BYTES);
    if (!body.ok) return body.response;
    const raw = body.bytes;
    if (
      !verifyGeneric(
        raw,
        req.headers.get('x-autotier-timestamp'),
        req.headers.get('x-autotier-signature'),
        deps.secrets,
        deps.now(),
      )
    ) {
      return jsonError(401, 'unauthorized');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return jsonError(400, 'body is not valid JSON');
    }
    const event = parseGenericEvent(json);
    if (!event.ok) return jsonError(400, event.error);
    const eventId = event.value.eventId;
    // Queue first, then remember the id: a crash in between repeats the event, and ticket creation is idempotent.
    await deps.enqueue({
      source: 'generic',
      eventId,
      raw: raw.toString('utf8'),
      receivedAt: new Date(deps.now()).toISOString(),
    });
    if (!(await deps.seen.use(`webhook:generic:${eventId}`))) {
      context.log(`generic webhook: event ${eventId} seen before`);
      return { status: 200, jsonBody: { eventId, duplicate: true } };
    }
    return { status: 202, jsonBody: { eventId, accepted: true } };
  };
}

app.http('genericWebhook', {
  route: 'webhooks/generic',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: async (req, context) => {
    const s = await services();
    return genericWebhookHandler({
      secrets: s.config.webhookSecrets,
      now: () => s.now().getTime(),
      enqueue: (m) => s.intake.send(m),
      seen: s.tokens,
    })(req, context);
  },
});
