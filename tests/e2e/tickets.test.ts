import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { countRows, table } from '../support/storage';
import { appUnderTest } from '../support/ticketApi';

describe('ticket intake over HTTP on the local runtime', () => {
  const app = appUnderTest();

  const ticket = (over: Record<string, unknown> = {}) => ({
    clientId: 'demo',
    requester: { name: 'Sam Lee', email: 'sam@demo.example' },
    subject: 'Locked out of my account',
    body: 'I typed my password wrong too many times.',
    ...over,
  });

  it('GET /api/health answers ok', async () => {
    const res = await app.rt.get('/api/health');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('acknowledges a new ticket at once with its reference, then classifies it', async () => {
    const res = await app.rt.post(
      '/api/tickets',
      ticket({ requester: { name: 'Ana', email: 'ana@demo.example' } }),
    );
    assert.equal(res.status, 202);
    const { ticketId, statusUrl } = (await res.json()) as { ticketId: string; statusUrl: string };
    assert.equal(statusUrl, `${app.rt.runtime.url}/api/tickets/${ticketId}`);
    await app.rt.runtime.drain();

    const mails = await app.api.mails('ana@demo.example');
    const [ack] = mails;
    assert.equal(ack?.subject, `[#${ticketId}] We've got your request: Locked out of my account`);
    assert.match(ack?.text ?? '', new RegExp(`reference number is ${ticketId}`));
    // Sent by the request itself, before its workflow ran (which is told when), and only once.
    const acknowledgedAt = await app.api.acknowledgedAt(ticketId);
    assert.ok(acknowledgedAt, 'the workflow was started with the acknowledgement time');
    assert.equal(mails.filter((m) => m.subject.includes("We've got your request")).length, 1);

    const view = await app.api.view(ticketId);
    assert.equal(view.category, 'password_reset');
    assert.deepEqual(
      view.timeline.slice(0, 2).map((e) => e.step),
      ['acknowledged', 'classified'],
    );
    assert.equal(view.timeline[0]?.at, acknowledgedAt);
  });

  it('starts one workflow when the same ticket arrives eight times at once (the start is idempotent)', async () => {
    const body = ticket({ externalId: 'race-1', requester: { email: 'race@demo.example' } });
    const answers = await Promise.all(Array.from({ length: 8 }, () => app.rt.post('/api/tickets', body)));
    assert.deepEqual(
      answers.map((r) => r.status),
      Array.from({ length: 8 }, () => 202),
    );
    const ids = new Set(
      await Promise.all(answers.map(async (r) => ((await r.json()) as { ticketId: string }).ticketId)),
    );
    assert.equal(ids.size, 1);
    await app.rt.runtime.drain();
    assert.equal(
      (await app.api.mails('race@demo.example')).filter((m) => m.subject.includes("We've got your request"))
        .length,
      1,
    );
  });

  it('makes one ticket and one acknowledgement from a repeated (clientId, externalId)', async () => {
    const body = ticket({ externalId: 'cw-5001', requester: { email: 'repeat@demo.example' } });
    const first = (await (await app.rt.post('/api/tickets', body)).json()) as { ticketId: string };
    const second = (await (await app.rt.post('/api/tickets', body)).json()) as { ticketId: string };
    assert.equal(second.ticketId, first.ticketId);
    await app.rt.runtime.drain();
    assert.equal(
      (await app.api.mails('repeat@demo.example')).filter((m) => m.subject.includes("We've got your request"))
        .length,
      1,
    );
  });

  it('answers bad requests with a JSON error and leaves nothing in storage', async () => {
    const cases: [unknown, number, RegExp][] = [
      ['{"clientId":', 400, /not valid JSON/],
      [ticket({ clientId: 'bad-input', subject: undefined }), 400, /^subject: is required/],
      [
        ticket({ clientId: 'bad-input', requester: { email: 5 } }),
        400,
        /^requester\.email: must be a string/,
      ],
      [
        ticket({ clientId: 'bad-input', subject: '<script>alert(1)</script>' }),
        400,
        /^subject: must be plain text/,
      ],
      [ticket({ clientId: 'bad-input', body: 'x'.repeat(70 * 1024) }), 413, /larger than 65536 bytes/],
    ];
    for (const [body, status, error] of cases) {
      const res = await app.rt.post('/api/tickets', body);
      assert.equal(res.status, status);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      assert.match(((await res.json()) as { error: string }).error, error);
    }
    assert.equal(await countRows(table(`${app.rt.tablePrefix}Tickets`), "PartitionKey eq 'bad-input'"), 0);
  });

  it('answers a malformed percent-encoding and an oversized URL with a JSON 4xx, never a 500', async () => {
    const bad = await fetch(`${app.rt.runtime.url}/api/tickets/%zz`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /percent-encoding/);
    for (const id of ['%E2%80%A8', '%E2%80%A9', 'T-1%2F..%2F..', 'T-1%0D%0A'])
      assert.equal((await fetch(`${app.rt.runtime.url}/api/tickets/${id}`)).status, 400, id);
    const huge = await fetch(`${app.rt.runtime.url}/api/tickets/${'x'.repeat(17_000)}`);
    assert.equal(huge.status, 431);
    assert.match(((await huge.json()) as { error: string }).error, /too large/);
  });

  it('answers 404 for an unknown ticket and 400 for a malformed id', async () => {
    assert.equal((await app.rt.get('/api/tickets/T-999999')).status, 404);
    assert.equal((await app.rt.get('/api/tickets/nope')).status, 400);
  });

  it('validates ticket events', async () => {
    const id = await app.api.file('events@demo.example', 'Printer jammed', 'Paper stuck in tray 2');
    const cases: [unknown, number, RegExp][] = [
      [{ type: 'shout' }, 400, /^type: must be reply, plan or resolved/],
      [{ type: 'plan', tier: 7, by: 'Jo', note: 'x' }, 400, /^tier: /],
      [{ type: 'reply', from: 'not-mail', text: 'hi' }, 400, /^from: must be an email address/],
    ];
    for (const [body, status, error] of cases) {
      const res = await app.api.event(id, body);
      assert.equal(res.status, status);
      assert.match(((await res.json()) as { error: string }).error, error);
    }
    assert.equal((await app.api.event('T-999998', { type: 'resolved', by: 'Jo', note: 'x' })).status, 404);
  });
});
