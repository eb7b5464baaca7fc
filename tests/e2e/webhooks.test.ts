import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { signGeneric } from '../../src/domain/webhookAuth';
import { queue, table } from '../support/storage';
import { appUnderTest } from '../support/ticketApi';

describe('the generic webhook', () => {
  const app = appUnderTest();
  const event = (eventId: string, over: Record<string, unknown> = {}) => ({
    eventId,
    clientId: 'demo',
    requester: { name: 'Kim', email: `${eventId}@demo.example` },
    subject: 'Printer offline',
    body: 'The reception printer says offline',
    ...over,
  });
  const deliver = async (
    body: unknown,
    options: { secret?: string; ageSeconds?: number; signature?: string } = {},
  ) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const ts = String(Math.floor(app.rt.clock.now() / 1000) - (options.ageSeconds ?? 0));
    const res = await fetch(`${app.rt.runtime.url}/api/webhooks/generic`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-autotier-timestamp': ts,
        'x-autotier-signature':
          options.signature ?? signGeneric(raw, ts, options.secret ?? 'test-webhook-secret-new'),
      },
      body: raw,
    });
    await app.rt.runtime.drain();
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('turns a valid delivery into a ticket, once, however often it arrives', async () => {
    const first = await deliver(event('evt-100'));
    assert.deepEqual(first, { status: 202, body: { eventId: 'evt-100', accepted: true } });
    const again = await deliver(event('evt-100'), { secret: 'test-webhook-secret-old' });
    assert.deepEqual(again, { status: 200, body: { eventId: 'evt-100', duplicate: true } });
    const mails = await app.api.mails('evt-100@demo.example');
    assert.equal(mails.filter((m) => m.subject.includes("We've got your request")).length, 1);
    const ticketId = /\[#(T-\d+)\]/.exec(mails[0]?.subject ?? '')?.[1] ?? '';
    assert.equal((await app.api.view(ticketId)).category, 'printer_peripheral');
  });

  it('a delivery for a client nobody set up is kept for review: no ticket, nobody mailed', async () => {
    assert.equal((await deliver(event('evt-ghost', { clientId: 'ghost-dental' }))).status, 202);
    assert.deepEqual(await app.api.mails('evt-ghost@demo.example'), []);
    const rows: { reason: string }[] = [];
    for await (const row of table(`${app.rt.tablePrefix}Review`).listEntities<{ reason: string }>())
      rows.push(row);
    assert.ok(rows.some((r) => r.reason === 'no client "ghost-dental" is set up here'));
  });

  it('a delivery too large for a queue message (a 20,000-character Japanese ticket) still becomes a ticket', async () => {
    const body = 'プリンターがオフラインと表示されます。'.repeat(1100).slice(0, 20_000);
    const first = await deliver(event('evt-big', { body }));
    assert.equal(first.status, 202);
    const mails = await app.api.mails('evt-big@demo.example');
    assert.equal(mails.filter((m) => m.subject.includes("We've got your request")).length, 1);
    const ticketId = /\[#(T-\d+)\]/.exec(mails[0]?.subject ?? '')?.[1] ?? '';
    assert.ok(ticketId);
  });

  it('a replay of an event id with another body is answered as a duplicate and makes nothing', async () => {
    assert.equal((await deliver(event('evt-replay'))).status, 202);
    const replay = await deliver(
      event('evt-replay', {
        requester: { email: 'intruder@demo.example' },
        subject: 'Reset the CEO password',
      }),
    );
    assert.deepEqual(replay, { status: 200, body: { eventId: 'evt-replay', duplicate: true } });
    assert.deepEqual(await app.api.mails('intruder@demo.example'), []);
  });

  it('answers 401 with no detail to a forged, unsigned or stale delivery', async () => {
    for (const options of [{ secret: 'guessed' }, { signature: '' }, { ageSeconds: 600 }]) {
      const r = await deliver(event('evt-forged'), options);
      assert.deepEqual(r, { status: 401, body: { error: 'unauthorized' } });
    }
    assert.deepEqual(await app.api.mails('evt-forged@demo.example'), []);
  });

  it('answers 400 naming the field, and 413 over the size limit', async () => {
    assert.deepEqual(await deliver('{"eventId":'), {
      status: 400,
      body: { error: 'body is not valid JSON' },
    });
    assert.equal(
      (await deliver(event('evt-bad', { requester: { email: 'nope' } }))).body.error,
      'requester.email: must be an email address',
    );
    assert.equal((await deliver(event('evt-big', { body: 'x'.repeat(300 * 1024) }))).status, 413);
  });

  it('keeps a delivery it cannot place for review, and loses nothing', async () => {
    const q = queue(process.env.AUTOTIER_INTAKE_QUEUE ?? '');
    const junk = JSON.stringify({
      source: 'generic',
      eventId: 'evt-junk',
      raw: '{"eventId":"evt-junk","clientId":"demo"}',
      receivedAt: '2026-03-02T10:00:00Z',
    });
    await q.sendMessage(Buffer.from(junk).toString('base64'));
    await app.rt.runtime.drain();
    const rows: { reason: string; raw: string }[] = [];
    for await (const row of table(`${app.rt.tablePrefix}Review`).listEntities<{
      reason: string;
      raw: string;
    }>())
      rows.push(row);
    const junkRows = rows.filter((r) => r.raw === '{"eventId":"evt-junk","clientId":"demo"}');
    assert.equal(junkRows.length, 1);
    assert.match(junkRows[0]?.reason ?? '', /requester: is required/);
    assert.equal(
      (await queue(`${process.env.AUTOTIER_INTAKE_QUEUE ?? ''}-poison`).exists())
        ? (await queue(`${process.env.AUTOTIER_INTAKE_QUEUE ?? ''}-poison`).peekMessages()).peekedMessageItems
            .length
        : 0,
      0,
    );
  });
});
