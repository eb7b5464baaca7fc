import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpRequest } from '@azure/functions';

import { signConfirmToken } from '../../../src/domain/confirmLink';
import { confirmHandler } from '../../../src/links/confirmTicket';
import { FakeWorkflow, MemoryTokens } from '../../support/fakes';
import { invocationContext } from '../../support/http';

const KEY = 'k'.repeat(40);
const NOW = Date.parse('2026-03-02T10:00:00Z');

function setup() {
  const workflow = new FakeWorkflow();
  void workflow.ensureStarted({ ticketId: 'T-1001', clientId: 'demo' });
  const handler = confirmHandler({
    tokens: new MemoryTokens(),
    workflow: () => workflow,
    linkSigningKey: KEY,
    now: () => new Date(NOW),
  });
  const call = (query: Record<string, string>, accept = 'text/html', method = 'POST') =>
    handler(
      new HttpRequest({
        method,
        url: `http://localhost/api/tickets/T-1001/confirm?${new URLSearchParams(query).toString()}`,
        params: { ticketId: 'T-1001' },
        headers: { accept },
      }),
      invocationContext(),
    );
  const token = (over: Partial<{ ticketId: string; expiresAt: number }> = {}) =>
    signConfirmToken({ ticketId: 'T-1001', nonce: 'n1', expiresAt: NOW + 1000, ...over }, KEY);
  return { workflow, call, token };
}

describe('/api/tickets/{id}/confirm handler', () => {
  it('GET only asks, with a button that posts back: a mail scanner opening both links records nothing', async () => {
    const { workflow, call, token } = setup();
    for (const answer of ['yes', 'no']) {
      const page = await call({ answer, token: token() }, 'text/html', 'GET');
      assert.equal(page.status, 200);
      assert.match(page.body as string, /<form method="post"><button type="submit">/);
      const json = await call({ answer, token: token() }, 'application/json', 'GET');
      assert.deepEqual(json.jsonBody, {
        ticketId: 'T-1001',
        answer,
        recorded: false,
        how: 'POST to this URL to record the answer',
      });
    }
    assert.equal(workflow.raised.length, 0);
    const posted = await call({ answer: 'yes', token: token() });
    assert.match(posted.body as string, /glad it's sorted/);
    assert.equal(workflow.raised.length, 1, 'the link still works after a scanner opened it');
  });

  it('delivers the answer once and shows a friendly page; a second click changes nothing', async () => {
    const { workflow, call, token } = setup();
    const first = await call({ answer: 'no', token: token() });
    assert.equal(first.status, 200);
    assert.match(first.body as string, /<h1>Sorry it's still not working<\/h1>/);
    assert.deepEqual(workflow.raised, [
      { ticketId: 'T-1001', event: { kind: 'confirmation', answer: 'no' } },
    ]);
    const second = await call({ answer: 'yes', token: token() });
    assert.match(second.body as string, /already have your answer/);
    assert.equal(workflow.raised.length, 1);
  });

  it('answers JSON errors to API clients: bad answer, forged, expired, other ticket', async () => {
    const { workflow, call, token } = setup();
    const cases: [Record<string, string>, number, string][] = [
      [{ answer: 'maybe', token: token() }, 400, 'answer: must be yes or no'],
      [{ answer: 'yes', token: `${token().split('.')[0]}.AAAA` }, 400, 'token: bad signature'],
      [{ answer: 'yes', token: token({ expiresAt: NOW - 1 }) }, 410, 'token: expired'],
      [{ answer: 'yes', token: token({ ticketId: 'T-2002' }) }, 400, 'token: wrong ticket'],
    ];
    for (const [query, status, error] of cases) {
      const res = await call(query, 'application/json');
      assert.equal(res.status, status);
      assert.deepEqual(res.jsonBody, { error });
    }
    assert.equal(workflow.raised.length, 0);
  });
});
