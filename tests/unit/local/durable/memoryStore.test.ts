import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MemoryDurableStore, MemoryQueue } from '../../../../src/local/durable/memoryStore';
import { EventType, type HistoryEvent, type InstanceState } from '../../../../src/local/durable/types';

const state = (overrides: Partial<InstanceState> = {}): InstanceState => ({
  instanceId: 'i-1',
  name: 'orchestrator',
  executionId: 'e-1',
  runtimeStatus: 'Running',
  input: '',
  output: '',
  customStatus: '',
  createdTime: '2026-03-02T09:00:00.000Z',
  lastUpdatedTime: '2026-03-02T09:00:00.000Z',
  nextSeq: 0,
  historyCount: 0,
  actions: [],
  pending: {},
  processed: [],
  outbox: [],
  ...overrides,
});

describe('MemoryDurableStore (the engine store for tests without Azurite)', () => {
  it('commits like the table store: a stale etag or a second create is refused', async () => {
    const store = new MemoryDurableStore();
    const first = await store.save(state());
    await assert.rejects(store.save(state()), /changed underneath/);
    const second = await store.save(state({ nextSeq: 1 }), first);
    await assert.rejects(store.save(state({ nextSeq: 2 }), first), /changed underneath/);
    assert.equal((await store.load('i-1'))?.etag, second);
    assert.equal((await store.load('i-1'))?.state.nextSeq, 1);
  });

  it('reads history only up to the committed count', async () => {
    const store = new MemoryDurableStore();
    const event = { EventType: EventType.OrchestratorStarted } as unknown as HistoryEvent;
    await store.writeHistory(state(), 0, [event, event, event]);
    assert.equal((await store.readHistory(state({ historyCount: 2 }))).length, 2);
    assert.equal(await store.deleteInstance('i-1'), false, 'no state row was committed');
  });

  it('hands out due timers in firing order', async () => {
    const store = new MemoryDurableStore();
    const timer = (timerId: number, fireAt: number) => ({
      instanceId: 'i-1',
      executionId: 'e-1',
      timerId,
      fireAt,
    });
    await store.putTimer(timer(2, 300));
    await store.putTimer(timer(1, 100));
    await store.putTimer(timer(3, 200));
    assert.equal(await store.nextTimerAt(), 100);
    assert.deepEqual(
      (await store.dueTimers(250)).map((t) => t.timerId),
      [1, 3],
    );
    await store.deleteTimer(timer(1, 100));
    assert.equal(await store.nextTimerAt(), 200);
  });

  it('a queue keeps copies, oldest first', async () => {
    const queue = new MemoryQueue<{ n: number }>();
    const body = { n: 1 };
    await queue.send(body);
    body.n = 2;
    await queue.send(body);
    assert.deepEqual(queue.takeAll(), [{ n: 1 }, { n: 2 }]);
    assert.equal(queue.size, 0);
  });
});
