/**
 * What an episode of the local Durable engine writes, counted: as the Azure Storage provider does,
 * it sends its messages and then commits once; a second write of the state per episode (to clear
 * an outbox) is a round trip on every step of every ticket.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as df from 'durable-functions';

import { VirtualClock } from '../../../../src/local/clock';
import { DurableEngine } from '../../../../src/local/durable/engine';
import { MemoryDurableStore, MemoryQueue } from '../../../../src/local/durable/memoryStore';
import type { ControlMessage, InstanceState, WorkItem } from '../../../../src/local/durable/types';
import { createCoreApi, FunctionRegistry, installCoreApi } from '../../../../src/local/registry';

class CountingStore extends MemoryDurableStore {
  saves = 0;
  override save(state: InstanceState, etag?: string): Promise<string> {
    this.saves++;
    return super.save(state, etag);
  }
}

describe('an episode of the local Durable engine', () => {
  it('commits its state once, after sending what it scheduled; the start is saved and cleared as before', async () => {
    const registry = new FunctionRegistry();
    installCoreApi(createCoreApi(registry, () => {}));
    df.app.orchestration('twoSteps', function* (context) {
      const a: unknown = yield context.df.callActivity('echo', 1);
      const b: unknown = yield context.df.callActivity('echo', 2);
      return [a, b];
    });
    df.app.activity('echo', { handler: (input: unknown) => Promise.resolve(input) });

    const store = new CountingStore();
    const control = new MemoryQueue<ControlMessage>();
    const work = new MemoryQueue<WorkItem>();
    const engine = new DurableEngine(
      registry,
      store,
      control,
      work,
      new VirtualClock(Date.parse('2026-03-02T09:00:00Z')),
      () => {},
      { taskHub: 'unitHub' },
    );
    assert.deepEqual(await engine.start('twoSteps', 'i-1', 'null'), { ok: true });
    assert.equal(store.saves, 2, 'the start: created with its first message, which is sent, then cleared');

    const episodes: number[] = [];
    for (let round = 0; round < 10; round++) {
      const messages = control.takeAll();
      for (const m of messages) {
        const before = store.saves;
        await engine.processControl(m);
        episodes.push(store.saves - before);
      }
      for (const item of work.takeAll()) await engine.runWorkItem(item);
      if (messages.length === 0) break;
    }
    const done = await engine.status('i-1', { history: false });
    assert.equal(done?.state.runtimeStatus, 'Completed');
    assert.equal(done?.state.output, '[1,2]');
    assert.deepEqual(
      episodes,
      [1, 1, 1],
      'one state write per episode: started, first result, second result',
    );
  });
});
