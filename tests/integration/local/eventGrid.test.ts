import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { type FixtureRuntime, startFixtureRuntime } from '../../support/fixtureApp';

describe('local runtime: Event Grid triggers at /runtime/webhooks/eventgrid', () => {
  let rt: FixtureRuntime;
  before(async () => {
    rt = await startFixtureRuntime();
  });
  after(async () => rt.runtime.stop());
  const deliver = (body: unknown, headers: Record<string, string> = {}, name = 'gridSink') =>
    fetch(`${rt.runtime.url}/runtime/webhooks/eventgrid?functionName=${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification', ...headers },
      body: JSON.stringify(body),
    });

  it('answers the subscription validation handshake with its code', async () => {
    const res = await deliver(
      [
        {
          id: '1',
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          data: { validationCode: 'abc-123' },
        },
      ],
      { 'aeg-event-type': 'SubscriptionValidation' },
    );
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { validationResponse: 'abc-123' });
  });

  it('invokes the function once per event; a failure answers 500 so Event Grid retries; unknown functions 404', async () => {
    const before = rt.state().queueSeen.length;
    const ok = await deliver([
      { id: 'a', subject: 'one', eventType: 'x', data: {} },
      { id: 'b', subject: 'two', eventType: 'x', data: {} },
    ]);
    assert.equal(ok.status, 202);
    assert.equal(rt.state().queueSeen.length, before + 2);
    assert.equal((await deliver([{ id: 'c', subject: 'fail', eventType: 'x', data: {} }])).status, 500);
    assert.equal((await deliver([], {}, 'nope')).status, 404);
  });
});
