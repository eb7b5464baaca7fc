import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpRequest } from '@azure/functions';

import { ratingSigningKey, signConfirmToken } from '../../../src/domain/confirmLink';
import { rateHandler } from '../../../src/links/rateTicket';
import { InMemoryTicketStore, MemoryOutcomes, MemoryTokens } from '../../support/fakes';

const KEY = 'k'.repeat(40);
const NOW = Date.parse('2026-03-02T10:00:00Z');

async function setup() {
  const tickets = new InMemoryTicketStore();
  const outcomes = new MemoryOutcomes();
  const { ticket } = await tickets.create(
    {
      clientId: 'demo',
      requester: { email: 'sam@demo.example' },
      subject: 'Printer',
      body: 'offline',
      channel: 'api',
    },
    new Date(NOW - 3_600_000),
  );
  const handler = rateHandler({
    tokens: new MemoryTokens(),
    tickets,
    outcomes,
    linkSigningKey: KEY,
    now: () => new Date(NOW),
  });
  const id = ticket.ticketId;
  const token = (over: Partial<{ ticketId: string; expiresAt: number; nonce: string }> = {}, key = KEY) =>
    signConfirmToken(
      { ticketId: id, nonce: `${id}.rate.resolved`, expiresAt: NOW + 1000, ...over },
      ratingSigningKey(key),
    );
  const call = (
    query: Record<string, string>,
    opts: { method?: string; accept?: string; body?: string; type?: string } = {},
  ) =>
    handler(
      new HttpRequest({
        method: opts.method ?? 'POST',
        url: `http://localhost/api/tickets/${id}/rate?${new URLSearchParams(query).toString()}`,
        params: { ticketId: id },
        headers: {
          accept: opts.accept ?? 'application/json',
          'content-type': opts.type ?? 'application/x-www-form-urlencoded',
        },
        ...(opts.body !== undefined ? { body: { string: opts.body } } : {}),
      }),
    );
  const ratings = () => outcomes.eventsOf(id).filter((e) => e.kind === 'rated');
  return { id, call, token, ratings, tickets, outcomes };
}

describe('/api/tickets/{id}/rate handler', () => {
  it('GET shows a plain, accessible page with the score chosen and records nothing', async () => {
    const { call, token, ratings } = await setup();
    const page = await call({ score: '4', token: token() }, { method: 'GET', accept: 'text/html' });
    assert.equal(page.status, 200);
    const html = page.body as string;
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<h1>How did we do\?<\/h1>/);
    assert.match(
      html,
      /<form method="post"><fieldset><legend>Your rating, from 1 \(poor\) to 5 \(great\)<\/legend>/,
    );
    assert.match(html, /<input type="radio" name="score" value="4" checked required>4 - Good<\/label>/);
    assert.equal((html.match(/type="radio"/g) ?? []).length, 5);
    assert.match(
      html,
      /<label for="comment">Anything you would like to tell us\? \(optional\)<\/label><textarea id="comment"/,
    );
    assert.doesNotMatch(html, /<script|https?:\/\//, 'no script and nothing from elsewhere');
    const json = await call({ score: '4', token: token() }, { method: 'GET' });
    assert.equal((json.jsonBody as { recorded: boolean }).recorded, false);
    assert.equal(ratings().length, 0);
  });

  it('POST records the score and comment once; the link is single use', async () => {
    const { call, token, ratings, tickets, id } = await setup();
    const first = await call(
      { score: '2', token: token() },
      { accept: 'text/html', body: 'score=5&comment=Quick+and+friendly.+My+password+is+Hunter2%24' },
    );
    assert.equal(first.status, 200);
    assert.match(first.body as string, /<h1>Thank you!<\/h1>/);
    const [rated] = ratings();
    assert.equal(rated?.kind === 'rated' && rated.score, 5, 'the page’s choice wins over the link’s');
    assert.equal(
      rated?.kind === 'rated' && rated.comment,
      'Quick and friendly. My password is [password removed]',
    );
    assert.equal(rated?.at, new Date(NOW).toISOString());
    assert.ok(
      (await tickets.timeline({ ticketId: id })).some((e) => /rated the support 5 out of 5/.test(e.note)),
    );

    const again = await call({ score: '1', token: token() });
    assert.equal(again.status, 200);
    assert.deepEqual(again.jsonBody, {
      ticketId: id,
      recorded: false,
      result: 'already rated with this link',
    });
    assert.equal(ratings().length, 1);
  });

  it('a JSON client posts {comment}; the score comes from the link', async () => {
    const { call, token, ratings, id } = await setup();
    const res = await call(
      { score: '3', token: token() },
      { type: 'application/json', body: JSON.stringify({ comment: 'ok' }) },
    );
    assert.deepEqual(res.jsonBody, { ticketId: id, recorded: true, score: 3 });
    assert.equal(ratings().length, 1);
  });

  it('refuses bad links and bad input with 400 naming the field, an expired link with 410', async () => {
    const { call, token, ratings, id } = await setup();
    const error = async (res: Promise<{ status?: number; jsonBody?: unknown }>) => {
      const r = await res;
      return [r.status, (r.jsonBody as { error?: string } | undefined)?.error];
    };
    for (const score of ['0', '6', '', 'five', '4.5', '-1'])
      assert.deepEqual(await error(call({ score, token: token() })), [
        400,
        'score: must be a whole number from 1 to 5',
      ]);
    assert.deepEqual(await error(call({ score: '4', token: 'junk' })), [400, 'token: malformed']);
    assert.deepEqual(await error(call({ score: '4', token: token({}, 'x'.repeat(40)) })), [
      400,
      'token: bad signature',
    ]);
    assert.deepEqual(
      await error(
        call({
          score: '4',
          token: signConfirmToken({ ticketId: id, nonce: 'n', expiresAt: NOW + 1000 }, KEY),
        }),
      ),
      [400, 'token: bad signature'],
      'a confirmation token does not rate',
    );
    assert.deepEqual(await error(call({ score: '4', token: token({ ticketId: 'T-9' }) })), [
      400,
      'token: wrong ticket',
    ]);
    assert.deepEqual(await error(call({ score: '4', token: token({ expiresAt: NOW - 1 }) })), [
      410,
      'token: expired',
    ]);
    assert.deepEqual(await error(call({ score: '4', token: token() }, { body: 'score=9' })), [
      400,
      'score: must be a whole number from 1 to 5',
    ]);
    assert.deepEqual(
      await error(call({ score: '4', token: token() }, { body: `comment=${'x'.repeat(2001)}` })),
      [400, 'comment: at most 2000 characters'],
    );
    const page = await call({ score: '9', token: token() }, { accept: 'text/html', method: 'GET' });
    assert.equal(page.status, 400);
    assert.match(page.body as string, /That link does not work/);
    assert.equal(ratings().length, 0, 'nothing refused was recorded');
    // The link still works after all that.
    assert.equal((await call({ score: '4', token: token() })).status, 200);
    assert.equal(ratings().length, 1);
  });
});
