import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { matchesSecret } from '../domain/webhookAuth';
import { jsonError, readBodyBytes } from '../http/httpHelpers';
import type { IntakeQueue } from '../ports/intakeQueue';
import type { TokenStore } from '../ports/tokenStore';
import { keepSubscription, type SubscriptionDeps } from './keepSubscription';

/** Graph's subscription handshake: echo validationToken as text/plain, at once. */
function validation(req: HttpRequest): HttpResponseInit | undefined {
  const token = req.query.get('validationToken');
  return token === null ? undefined : { status: 200, headers: { 'content-type': 'text/plain' }, body: token };
}

interface GraphNotification {
  subscriptionId?: string;
  clientState?: string;
  changeType?: string;
  resource?: string;
  resourceData?: { id?: string };
  lifecycleEvent?: string;
}

/**
 * The notifications of a Graph POST that carry one of our client states. A body that is not Graph's
 * shape is a 400; notifications that all carry a wrong client state are a 401.
 */
async function genuineNotifications(
  req: HttpRequest,
  clientStates: string[],
): Promise<{ response: HttpResponseInit } | { genuine: GraphNotification[]; total: number }> {
  const body = await readBodyBytes(req, 1024 * 1024);
  let items: GraphNotification[] | undefined;
  if (body.ok) {
    try {
      const value = (JSON.parse(body.bytes.toString('utf8')) as { value?: unknown }).value;
      // Every notification must be an object: `[null]` is a malformed body, not a crash.
      if (
        Array.isArray(value) &&
        value.every((n) => typeof n === 'object' && n !== null && !Array.isArray(n))
      )
        items = value as GraphNotification[];
    } catch {
      items = undefined;
    }
  }
  if (!items) return { response: jsonError(400, 'body must be a JSON object with a value array') };
  const genuine = items.filter(
    (n) => typeof n.clientState === 'string' && matchesSecret(n.clientState, clientStates),
  );
  if (genuine.length === 0 && items.length > 0) return { response: jsonError(401, 'unauthorized') };
  return { genuine, total: items.length };
}

/** A Graph endpoint's handler that answers the subscription handshake itself, before `handler` runs. */
export function handshakeFirst(
  handler: (req: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> | HttpResponseInit,
) {
  return async (req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> =>
    validation(req) ?? handler(req, context);
}

export interface GraphNotificationDeps {
  /** AUTOTIER_GRAPH_CLIENT_STATE: what every genuine notification carries. */
  clientStates: string[];
  tokens: TokenStore;
  intake: IntakeQueue;
  now: () => Date;
}

/** Change notifications for new mail in the support mailbox: each new message onto the intake queue, once. */
export function graphNotificationHandler(deps: GraphNotificationDeps) {
  return async function graphMailNotification(
    req: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const handshake = validation(req);
    if (handshake) return handshake;
    const received = await genuineNotifications(req, deps.clientStates);
    if ('response' in received) return received.response;
    const { genuine } = received;
    for (const n of genuine) {
      if (n.changeType !== 'created' || typeof n.resource !== 'string') continue;
      const eventId = n.resourceData?.id ?? n.resource;
      if (
        !(await deps.tokens.use(`webhook:graph:${eventId}`, new Date(deps.now().getTime() + 7 * 86_400_000)))
      )
        continue;
      await deps.intake.send({
        source: 'graph',
        eventId,
        raw: JSON.stringify({ resource: n.resource }),
        receivedAt: deps.now().toISOString(),
      });
    }
    context.log(`graph: ${genuine.length} of ${received.total} notifications accepted`);
    return { status: 202 };
  };
}

/** Graph asks for reauthorization or says the subscription is gone: renew or re-create it at once. */
export function graphLifecycleHandler(deps: { clientStates: string[]; subscription: SubscriptionDeps }) {
  return async function graphMailLifecycle(
    req: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const handshake = validation(req);
    if (handshake) return handshake;
    const received = await genuineNotifications(req, deps.clientStates);
    if ('response' in received) return received.response;
    const { genuine } = received;
    if (
      genuine.some(
        (n) => n.lifecycleEvent === 'reauthorizationRequired' || n.lifecycleEvent === 'subscriptionRemoved',
      )
    ) {
      const r = await keepSubscription(deps.subscription, true);
      context.log(`graph lifecycle: subscription ${r.action}`);
    }
    if (genuine.some((n) => n.lifecycleEvent === 'missed'))
      context.warn(
        'graph lifecycle: Graph missed notifications; mail that arrived meanwhile may need a look',
      );
    return { status: 202 };
  };
}
