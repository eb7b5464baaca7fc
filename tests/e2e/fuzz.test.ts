/**
 * A bounded, seeded fuzz of every public route: malformed and hostile input gets a 4xx with a JSON
 * `{error}`, never a 5xx, and a refused request stores nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { signGeneric } from '../../src/domain/webhookAuth';
import { countRows } from '../support/storage';
import { table } from '../support/storage';
import { appUnderTest } from '../support/ticketApi';

/** mulberry32: small, seeded, repeatable. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  '',
  ' ',
  'x'.repeat(70_000),
  'Printer\r\nBcc: all@demo.example',
  '\u0000\u0001\u001b[2J',
  '\u202Egnp.exe',
  '\u2028\u2029',
  '<script>alert(1)</script>',
  "'; DROP TABLE tickets; --",
  '../../etc/passwd',
  '%zz%00',
  '😀'.repeat(500),
  'T-1/../../x',
  '{"$claim":"x"}',
];

describe('fuzz: hostile input to every public route', () => {
  const app = appUnderTest();

  it('answers 425 seeded hostile requests with a 4xx and a JSON error, never a 5xx, and stores nothing it refused', async () => {
    const rnd = random(20261123);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const value = (): unknown =>
      pick<() => unknown>([
        () => pick(HOSTILE),
        () => Math.floor(rnd() * 1e9) - 5e8,
        () => null,
        () => true,
        () => [pick(HOSTILE)],
        () => ({ [pick(HOSTILE)]: pick(HOSTILE) }),
        () => 1e308 * 10,
      ])();
    const valid = () => ({
      clientId: 'demo',
      requester: { name: 'Sam', email: 'fuzz@demo.example' },
      subject: 'VPN drops',
      body: 'It drops.',
    });
    const mutate = (): unknown => {
      const v = valid() as Record<string, unknown>;
      const field = pick(['clientId', 'requester', 'subject', 'body', 'externalId', 'channel', 'extra']);
      if (field === 'requester') v.requester = rnd() < 0.5 ? value() : { name: value(), email: value() };
      else v[field] = value();
      return v;
    };
    await app.api.file('first@demo.example', 'VPN drops', 'It drops.'); // the app and its tables are up
    const tickets = table(`${app.rt.tablePrefix}Tickets`);
    const rowsBefore = await countRows(tickets, `RowKey ge 't|' and RowKey lt 't}'`);
    const url = app.rt.runtime.url;
    let accepted = 0;
    let requests = 0;
    const check = async (res: Response, what: string) => {
      requests++;
      assert.ok(res.status < 500, `${what} answered ${res.status}`);
      // Browsers asked for a page (confirm links) get a page; everyone else gets JSON {error}.
      if (res.status >= 400 && !(res.headers.get('content-type') ?? '').startsWith('text/html')) {
        const body = (await res.json()) as { error?: unknown };
        assert.equal(typeof body.error, 'string', `${what}: ${JSON.stringify(body)}`);
      } else await res.arrayBuffer();
    };

    for (let i = 0; i < 120; i++) {
      const body = rnd() < 0.15 ? pick(HOSTILE) : JSON.stringify(mutate());
      const res = await fetch(`${url}/api/tickets`, {
        method: 'POST',
        headers: {
          'content-type': pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']),
        },
        body,
      });
      if (res.status === 202) accepted++;
      await check(res, `POST /api/tickets ${body.slice(0, 80)}`);
    }
    for (let i = 0; i < 60; i++) {
      const id =
        rnd() < 0.5 ? `T-${Math.floor(rnd() * 1e6)}` : encodeURIComponent(pick(HOSTILE)).slice(0, 300) || 'x';
      await check(await fetch(`${url}/api/tickets/${id}`), `GET /api/tickets/${id.slice(0, 40)}`);
      await check(
        await fetch(`${url}/api/tickets/${id}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: pick(['reply', 'plan', 'resolved', 'other']),
            from: value(),
            text: value(),
            by: value(),
            note: value(),
            tier: value(),
          }),
        }),
        'POST events',
      );
      await check(
        await fetch(
          `${url}/api/tickets/${id}/confirm?answer=${pick(['yes', 'no', 'maybe'])}&token=${encodeURIComponent(pick(HOSTILE)).slice(0, 200)}`,
          {
            method: pick(['GET', 'POST']),
            headers: { accept: pick(['application/json', 'text/html']) },
          },
        ),
        'confirm',
      );
    }
    for (let i = 0; i < 60; i++) {
      const raw = rnd() < 0.3 ? pick(HOSTILE) : JSON.stringify({ ...(mutate() as object), eventId: value() });
      const ts = String(Math.floor(app.rt.clock.now() / 1000));
      const res = await fetch(`${url}/api/webhooks/generic`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-autotier-timestamp': ts,
          // A header carries only printable ASCII: fetch itself refuses anything else.
          'x-autotier-signature':
            rnd() < 0.7
              ? signGeneric(raw, ts, 'test-webhook-secret-new')
              : JSON.stringify(value())
                  .replace(/[^\x20-\x7e]/g, '')
                  .slice(0, 500),
        },
        body: raw,
      });
      await check(res, `generic webhook ${raw.slice(0, 60)}`);
    }
    for (const path of [
      '/api/webhooks/connectwise',
      '/api/webhooks/autotask',
      '/api/webhooks/halopsa',
      '/api/mail/inbound',
      '/api/mail/graph',
    ])
      for (let i = 0; i < 5; i++)
        await check(
          await fetch(`${url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: pick(HOSTILE),
          }),
          path,
        );
    // The ops pages: hostile filter values and ticket ids, from a browser and from a script.
    for (let i = 0; i < 20; i++) {
      const filter = pick(['stage', 'client', 'overdue', 'failed', 'limit', 'before', 'x']);
      const query = `${filter}=${encodeURIComponent(pick(HOSTILE)).slice(0, 300)}`;
      const accept = pick(['application/json', 'text/html']);
      await check(
        await fetch(`${url}/api/ops?${query}`, { headers: { accept } }),
        `GET /api/ops?${query.slice(0, 40)}`,
      );
      const id =
        rnd() < 0.5 ? `T-${Math.floor(rnd() * 1e6)}` : encodeURIComponent(pick(HOSTILE)).slice(0, 300) || 'x';
      await check(
        await fetch(`${url}/api/ops/tickets/${id}`, { headers: { accept } }),
        `GET /api/ops/tickets/${id.slice(0, 40)}`,
      );
    }
    await app.rt.runtime.drain();
    assert.equal(requests, 425);
    // Each accepted ticket is a ticket row plus at most an index link; refused ones add nothing.
    const ticketRows = await countRows(tickets, `RowKey ge 't|' and RowKey lt 't}'`);
    assert.ok(ticketRows <= accepted + rowsBefore, `${ticketRows} ticket rows for ${accepted} accepted`);
  });
});
