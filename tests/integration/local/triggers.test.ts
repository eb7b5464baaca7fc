import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { type FixtureRuntime, startFixtureRuntime } from '../../support/fixtureApp';
import { queue } from '../../support/storage';

describe('local runtime triggers', () => {
  let rt: FixtureRuntime;
  before(async () => {
    rt = await startFixtureRuntime();
  });
  after(async () => rt.runtime.stop());

  it('delivers base64 queue messages to queue triggers with their dequeue count', async () => {
    const q = queue(process.env.FIXTURE_OK_QUEUE ?? '');
    await q.createIfNotExists();
    await q.sendMessage(Buffer.from(JSON.stringify({ hello: 'queue' })).toString('base64'));
    await rt.runtime.drain();
    assert.deepEqual(rt.state().queueSeen.at(-1), { message: { hello: 'queue' }, dequeueCount: 1 });
  });

  it('moves a message that fails 5 times to <queue>-poison', async () => {
    const name = process.env.FIXTURE_POISON_QUEUE ?? '';
    const q = queue(name);
    await q.createIfNotExists();
    const text = Buffer.from(JSON.stringify({ bad: true })).toString('base64');
    await q.sendMessage(text);
    const poison = queue(`${name}-poison`);
    const deadline = Date.now() + 20_000;
    let poisoned: string[] = [];
    while (Date.now() < deadline) {
      if (await poison.exists()) {
        poisoned = (await poison.peekMessages({ numberOfMessages: 5 })).peekedMessageItems.map(
          (m) => m.messageText,
        );
        if (poisoned.length) break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(poisoned, [text]);
    const tries = rt.state().queueSeen.filter((m) => JSON.stringify(m) === '{"bad":true}').length;
    assert.equal(tries, 5);
    assert.equal((await q.peekMessages()).peekedMessageItems.length, 0);
  });

  it('fires timer triggers on their NCRONTAB schedule, on the runtime clock', async () => {
    const before = rt.state().timerRuns;
    // The fixture clock starts at 10:00:00; the next */5 occurrence is 10:05:00.
    await rt.runtime.advance(4 * 60 * 1000);
    assert.equal(rt.state().timerRuns, before);
    await rt.runtime.advance(60 * 1000 + 300);
    await new Promise((r) => setTimeout(r, 300));
    await rt.runtime.drain();
    assert.equal(rt.state().timerRuns, before + 1);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await rt.get('/api/nothing-here');
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /no function serves GET/);
  });
});
