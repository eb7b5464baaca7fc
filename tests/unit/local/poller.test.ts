import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { JsonQueue, ReceivedMessage } from '../../../src/adapters/queues/jsonQueue';
import { Poller, queuePass } from '../../../src/local/poller';

/** A queue in memory: what was received is hidden until deleted. */
function fakeQueue(bodies: string[]) {
  const waiting = [...bodies];
  const deleted: string[] = [];
  const queue = {
    name: 'fake',
    receive: (max: number) =>
      Promise.resolve(
        waiting.splice(0, max).map((body): ReceivedMessage<string> => ({
          body,
          messageId: body,
          popReceipt: 'p',
          dequeueCount: 1,
        })),
      ),
    delete: (m: ReceivedMessage<string>) => {
      deleted.push(m.body);
      return Promise.resolve();
    },
    extend: () => Promise.resolve(),
    release: () => Promise.resolve(),
  } as unknown as JsonQueue<string>;
  return { queue, deleted };
}

describe('queue passes of the local runtime', () => {
  it('pipelined: a slow message does not hold up the ones received after it, and the poller is busy until it is done', async () => {
    const { queue, deleted } = fakeQueue(['slow', 'fast']);
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const pass = queuePass<string>({
      queue,
      batchSize: 1,
      visibilityTimeoutSeconds: 10,
      retryDelaySeconds: 1,
      log: () => {},
      maxInFlight: 4,
      handle: (m) => (m.body === 'slow' ? slow : Promise.resolve()),
    });
    const poller = new Poller('fake', pass, { minIntervalMs: 1, maxIntervalMs: 1 }, () => {});
    assert.equal(await poller.runOnce(), 1, 'the slow one is received and handed out');
    assert.equal(poller.idle, false, 'still being handled');
    assert.equal(await poller.runOnce(), 1, 'the next pass receives while the slow one runs');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(deleted, ['fast'], 'and finishes first');
    release();
    await pass.settled();
    assert.deepEqual(deleted, ['fast', 'slow']);
    assert.equal(poller.idle, true);
  });

  it('never holds more than maxInFlight messages: the next pass waits for room', async () => {
    const { queue, deleted } = fakeQueue(['a', 'b', 'c']);
    const releases: (() => void)[] = [];
    const pass = queuePass<string>({
      queue,
      batchSize: 16,
      visibilityTimeoutSeconds: 10,
      retryDelaySeconds: 1,
      log: () => {},
      maxInFlight: 2,
      handle: () => new Promise<void>((resolve) => releases.push(resolve)),
    });
    assert.equal(await pass(), 2, 'a batch only as large as the room left');
    let third = false;
    const next = pass().then((n) => (third = n === 1));
    await new Promise((r) => setImmediate(r));
    assert.equal(third, false, 'no room: the pass waits');
    releases.splice(0).forEach((r) => r());
    await next;
    assert.equal(third, true);
    releases.splice(0).forEach((r) => r());
    await pass.settled();
    assert.deepEqual(deleted.sort(), ['a', 'b', 'c']);
  });
});
