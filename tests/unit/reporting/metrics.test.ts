import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpRequest } from '@azure/functions';

import { metricsHandler } from '../../../src/reporting/metrics';
import { MemoryClients, MemoryOutcomes } from '../../support/fakes';

const NOW = Date.parse('2026-04-01T12:00:00Z');

function setup() {
  const outcomes = new MemoryOutcomes();
  const handler = metricsHandler({ clients: new MemoryClients(), outcomes, now: () => new Date(NOW) });
  const get = async (query: string) => {
    const res = await handler(
      new HttpRequest({ method: 'GET', url: `http://localhost/api/metrics?${query}` }),
    );
    return { status: res.status, body: res.jsonBody as Record<string, unknown> };
  };
  return { outcomes, get };
}

describe('GET /api/metrics handler', () => {
  it('answers the last 30 days by the app clock when no range is given', async () => {
    const { outcomes, get } = setup();
    await outcomes.record({
      clientId: 'demo',
      ticketId: 'T-1001',
      receivedAt: '2026-03-20T10:00:00.000Z',
      step: 'received',
      at: '2026-03-20T10:00:00.000Z',
      kind: 'received',
      channel: 'api',
    });
    const res = await get('clientId=demo');
    assert.equal(res.status, 200);
    assert.equal(res.body.from, '2026-03-02T12:00:00.000Z');
    assert.equal(res.body.to, '2026-04-01T12:00:00.000Z');
    assert.equal(res.body.tickets, 1);
    assert.equal(res.body.selfServiceDeflections, 0);
    assert.equal((await get('clientId=demo&from=2026-03-21')).body.tickets, 0);
  });

  it('400 names the field; 404 for a client nobody set up', async () => {
    const { get } = setup();
    assert.deepEqual(await get(''), { status: 400, body: { error: 'clientId: required' } });
    assert.match(
      String((await get('clientId=demo&from=last-week')).body.error),
      /^from: must be an ISO 8601/,
    );
    assert.match(String((await get('clientId=demo&to=2026-02-31')).body.error), /^to: must be an ISO 8601/);
    assert.deepEqual(await get('clientId=demo&from=2026-03-10&to=2026-03-01'), {
      status: 400,
      body: { error: 'to: must be after from' },
    });
    assert.deepEqual(await get('clientId=ghost-dental'), {
      status: 404,
      body: { error: 'clientId: no client "ghost-dental"' },
    });
  });
});
