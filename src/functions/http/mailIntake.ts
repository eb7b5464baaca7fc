import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MAX_MAIL_BYTES } from '../../adapters/mail/mimeParser';
import { matchesSecret, verifyBasic } from '../../domain/webhookAuth';
import { services } from '../../index';
import { subscriptionDeps } from '../timer/graphSubscription';
import { keepSubscription } from '../timer/keepSubscription';
import { jsonError, readBodyBytes } from './httpHelpers';

/**
 * The raw MIME of one mail, from the body (message/rfc822, text/plain) or from the `email` field of
 * a multipart form (SendGrid Inbound Parse in raw mode).
 */
async function mimeFrom(req: HttpRequest, body: Buffer): Promise<Buffer | undefined> {
  // Multipart boundaries are case-sensitive (SendGrid's is `xYzZY`): only the type is compared
  // without case; the header goes to the parser as it came.
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) return body;
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
  const email = form.get('email');
  if (typeof email === 'string') return Buffer.from(email, 'utf8');
  return email ? Buffer.from(await email.arrayBuffer()) : undefined;
}

/** POST /api/mail/inbound: one mail as raw MIME, with Basic auth. Kept in Blob, taken in from the queue. */
app.http('mailInbound', {
  route: 'mail/inbound',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: async (req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const s = await services();
    if (!s.mailIntake || s.config.mailIntakeSecrets.length === 0)
      return jsonError(404, 'mail intake is not configured');
    // Credentials first: nobody gets to make us read 25 MB without them.
    if (!verifyBasic(req.headers.get('authorization'), s.config.mailIntakeSecrets))
      return jsonError(401, 'unauthorized');
    const body = await readBodyBytes(req, MAX_MAIL_BYTES);
    if (!body.ok) return body.response;
    let mime: Buffer | undefined;
    try {
      mime = await mimeFrom(req, body.bytes);
    } catch {
      return jsonError(400, 'the multipart form could not be read');
    }
    if (!mime || mime.length === 0)
      return jsonError(400, 'no mail in the request: send raw MIME, or a form with an email field');
    if (!/^[\x21-\x39\x3b-\x7e]+:/m.test(mime.subarray(0, 4096).toString('latin1')))
      return jsonError(400, 'the body is not a MIME message (no header lines)');
    const blob = await s.mailIntake.store.putRaw(mime);
    const eventId = blob.slice(4, 68);
    await s.intake.send({ source: 'mail', eventId, blob, receivedAt: s.now().toISOString() });
    context.log(`mail intake: accepted ${mime.length} bytes`);
    return { status: 202, jsonBody: { accepted: true, id: eventId } };
  },
});

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

/** POST /api/mail/graph: change notifications for new mail in the support mailbox. */
app.http('graphMailNotification', {
  route: 'mail/graph',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: async (req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const handshake = validation(req);
    if (handshake) return handshake;
    const s = await services();
    if (!s.graphMail) return jsonError(404, 'Graph mail intake is not configured');
    const received = await genuineNotifications(req, s.config.graphClientStates);
    if ('response' in received) return received.response;
    const { genuine } = received;
    for (const n of genuine) {
      if (n.changeType !== 'created' || typeof n.resource !== 'string') continue;
      const eventId = n.resourceData?.id ?? n.resource;
      if (!(await s.tokens.use(`webhook:graph:${eventId}`, new Date(s.now().getTime() + 7 * 86_400_000))))
        continue;
      await s.intake.send({
        source: 'graph',
        eventId,
        raw: JSON.stringify({ resource: n.resource }),
        receivedAt: s.now().toISOString(),
      });
    }
    context.log(`graph: ${genuine.length} of ${received.total} notifications accepted`);
    return { status: 202 };
  },
});

/** POST /api/mail/graph/lifecycle: Graph asks for reauthorization or says the subscription is gone. */
app.http('graphMailLifecycle', {
  route: 'mail/graph/lifecycle',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: async (req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const handshake = validation(req);
    if (handshake) return handshake;
    const s = await services();
    const deps = await subscriptionDeps();
    if (!deps) return jsonError(404, 'Graph mail intake is not configured');
    const received = await genuineNotifications(req, s.config.graphClientStates);
    if ('response' in received) return received.response;
    const { genuine } = received;
    if (
      genuine.some(
        (n) => n.lifecycleEvent === 'reauthorizationRequired' || n.lifecycleEvent === 'subscriptionRemoved',
      )
    ) {
      const r = await keepSubscription(deps, true);
      context.log(`graph lifecycle: subscription ${r.action}`);
    }
    if (genuine.some((n) => n.lifecycleEvent === 'missed'))
      context.warn(
        'graph lifecycle: Graph missed notifications; mail that arrived meanwhile may need a look',
      );
    return { status: 202 };
  },
});
