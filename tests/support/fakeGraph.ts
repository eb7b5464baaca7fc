import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Subscription {
  id: string;
  resource: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState: string;
  expirationDateTime: string;
}

/**
 * A local server speaking the Microsoft Graph endpoints mail intake uses: POST /subscriptions
 * (which, as Graph does, first sends the validation request to the notification URL and refuses
 * the subscription unless the token comes back as text/plain), PATCH /subscriptions/{id}, and
 * GET /users/{mailbox}/messages/{id}/$value. Tests add messages, inject throttling, and send
 * change notifications the way Graph would.
 */
export async function startFakeGraph() {
  const subscriptions = new Map<string, Subscription>();
  const messages = new Map<string, Buffer>();
  const failures: { status: number; retryAfter?: string }[] = [];
  const requests: { method: string; path: string; authorization?: string }[] = [];
  /** Mails sent through POST /users/{mailbox}/sendMail, with the mailbox they went from. */
  const sent: { mailbox: string; message: Record<string, unknown>; saveToSentItems?: boolean }[] = [];
  /** Mailboxes the app may not send from (no Mail.Send, or outside the access policy): 403. */
  const forbidden = new Set<string>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (b: Buffer) => chunks.push(b));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const p = decodeURIComponent(url.pathname);
        requests.push({ method: req.method ?? '', path: p, authorization: req.headers.authorization });
        const send = (status: number, value?: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(value === undefined ? '' : JSON.stringify(value));
        };
        const failure = failures.shift();
        if (failure)
          return send(
            failure.status,
            { error: { code: 'TooManyRequests', message: 'injected' } },
            failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
          );
        const body = chunks.length
          ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>)
          : {};
        if (p === '/subscriptions' && req.method === 'POST') {
          const token = randomUUID();
          const check = await fetch(`${body.notificationUrl}?validationToken=${encodeURIComponent(token)}`, {
            method: 'POST',
          });
          const echoed = await check.text();
          if (
            check.status !== 200 ||
            echoed !== token ||
            !check.headers.get('content-type')?.startsWith('text/plain')
          )
            return send(400, {
              error: { code: 'InvalidRequest', message: 'Subscription validation request failed.' },
            });
          const s: Subscription = {
            id: randomUUID(),
            resource: body.resource ?? '',
            notificationUrl: body.notificationUrl ?? '',
            lifecycleNotificationUrl: body.lifecycleNotificationUrl,
            clientState: body.clientState ?? '',
            expirationDateTime: body.expirationDateTime ?? '',
          };
          subscriptions.set(s.id, s);
          return send(201, s);
        }
        let m = /^\/subscriptions\/([\w-]+)$/.exec(p);
        if (m && req.method === 'PATCH') {
          const s = subscriptions.get(m[1]!);
          if (!s) return send(404, { error: { code: 'ResourceNotFound', message: 'no such subscription' } });
          s.expirationDateTime = body.expirationDateTime ?? s.expirationDateTime;
          return send(200, s);
        }
        m = /^\/users\/([^/]+)\/sendMail$/i.exec(p);
        if (m && req.method === 'POST') {
          const mailbox = m[1]!.toLowerCase();
          if (forbidden.has(mailbox))
            return send(403, { error: { code: 'ErrorAccessDenied', message: 'Access is denied.' } });
          const { message, saveToSentItems } = body as unknown as {
            message?: Record<string, unknown>;
            saveToSentItems?: boolean;
          };
          const to = (message?.toRecipients as { emailAddress?: { address?: string } }[] | undefined) ?? [];
          if (!message || to.length === 0 || !to.every((r) => r.emailAddress?.address))
            return send(400, {
              error: { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' },
            });
          sent.push({ mailbox, message, saveToSentItems });
          res.writeHead(202);
          return res.end();
        }
        m = /^\/users\/([^/]+)\/messages\/([^/]+)\/\$value$/i.exec(p);
        if (m && req.method === 'GET') {
          const mime = messages.get(m[2]!);
          if (!mime) return send(404, { error: { code: 'ErrorItemNotFound', message: 'not found' } });
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end(mime);
        }
        send(404, { error: { code: 'BadRequest', message: 'no route' } });
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    subscriptions,
    messages,
    requests,
    sent,
    forbidden,
    fail: (...f: { status: number; retryAfter?: string }[]) => failures.push(...f),
    /** Sends Graph's change notification for a new message to every subscription's URL. */
    async notify(mailbox: string, messageId: string, clientState?: string): Promise<number> {
      let status = 0;
      for (const s of subscriptions.values()) {
        const res = await fetch(s.notificationUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            value: [
              {
                subscriptionId: s.id,
                clientState: clientState ?? s.clientState,
                changeType: 'created',
                resource: `Users/${mailbox}/Messages/${messageId}`,
                resourceData: { '@odata.type': '#Microsoft.Graph.Message', id: messageId },
                tenantId: '11111111-1111-1111-1111-111111111111',
              },
            ],
          }),
        });
        status = res.status;
      }
      return status;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type FakeGraph = Awaited<ReturnType<typeof startFakeGraph>>;
