import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import type { ParseResult } from '../domain/intake';
import { verifyGeneric } from '../domain/webhookAuth';
import { type IntakeMessage, parseGenericEvent } from '../domain/webhookIntake';
import { jsonError, logSafe, readBodyBytes } from '../http/httpHelpers';
import type { IntakeQueue } from '../ports/intakeQueue';
import type { TokenStore } from '../ports/tokenStore';

/** How long a delivery id is remembered: PSAs retry failed deliveries for hours, not weeks. */
const REMEMBER_DELIVERIES_MS = 7 * 24 * 60 * 60 * 1000;

/** Largest webhook body accepted; larger deliveries get 413. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

export interface WebhookIntakeDeps {
  source: IntakeMessage['source'];
  /** Is this delivery authentic? Sees the raw bytes exactly as received. */
  verify: (req: HttpRequest, raw: Buffer) => Promise<boolean> | boolean;
  /** Schema check: the event id, or a 400 naming the field. */
  parse: (raw: string) => ParseResult<{ eventId: string }>;
  now: () => number;
  enqueue: (message: IntakeMessage) => Promise<unknown>;
  seen: TokenStore;
}

/**
 * Every webhook takes the same path: size limit (413), authenticity (401, no detail), schema (400),
 * onto the intake queue, event id remembered (a repeat answers 200 duplicate), 202 at once. The
 * ticket is made from the queue.
 */
export function webhookIntakeHandler(deps: WebhookIntakeDeps) {
  return async function webhookIntake(
    req: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const body = await readBodyBytes(req, MAX_WEBHOOK_BYTES);
    if (!body.ok) return body.response;
    if (!(await deps.verify(req, body.bytes))) return jsonError(401, 'unauthorized');
    const raw = body.bytes.toString('utf8');
    const event = deps.parse(raw);
    if (!event.ok) return jsonError(400, event.error);
    const { eventId } = event.value;
    // The id is claimed first, atomically: a replay answered "duplicate" is not processed, whatever
    // body it carries. If the delivery cannot be queued after all, the claim is let go, so the
    // sender's retry is taken.
    const nonce = `webhook:${deps.source}:${eventId}`;
    const expiresAt = new Date(deps.now() + REMEMBER_DELIVERIES_MS);
    if (!(await deps.seen.use(nonce, expiresAt))) {
      context.log(`${deps.source} webhook: event ${logSafe(eventId)} seen before`);
      return { status: 200, jsonBody: { eventId, duplicate: true } };
    }
    try {
      await deps.enqueue({
        source: deps.source,
        eventId,
        raw,
        receivedAt: new Date(deps.now()).toISOString(),
      });
    } catch (err) {
      await deps.seen.forget(nonce, expiresAt).catch(() => undefined);
      throw err;
    }
    return { status: 202, jsonBody: { eventId, accepted: true } };
  };
}

export interface GenericWebhookDeps {
  webhookSecrets: string[];
  intake: IntakeQueue;
  tokens: TokenStore;
  now: () => Date;
}

/**
 * The generic webhook: headers `x-autotier-timestamp` (unix seconds) and `x-autotier-signature`
 * (base64 HMAC-SHA256 of timestamp + raw body), the body the ticket plus its event id.
 */
export function genericWebhookHandler(deps: GenericWebhookDeps) {
  return webhookIntakeHandler({
    source: 'generic',
    verify: (r, raw) =>
      verifyGeneric(
        raw,
        r.headers.get('x-autotier-timestamp'),
        r.headers.get('x-autotier-signature'),
        deps.webhookSecrets,
        deps.now().getTime(),
      ),
    parse: (raw) => {
      try {
        return parseGenericEvent(JSON.parse(raw));
      } catch {
        return { ok: false, error: 'body is not valid JSON' };
      }
    },
    now: () => deps.now().getTime(),
    enqueue: (m) => deps.intake.send(m),
    seen: deps.tokens,
  });
}
