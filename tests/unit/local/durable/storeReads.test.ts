/**
 * What the local Durable engine reads from its store, counted: reads on a ticket's path are point
 * reads or bounded ranges, and only what the caller needs (figures of speed live in the bench).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { VirtualClock } from '../../../../src/local/clock';
import { DurableEngine } from '../../../../src/local/durable/engine';
import { handleManagementApi } from '../../../../src/local/durable/managementApi';
import { MemoryDurableStore, MemoryQueue } from '../../../../src/local/durable/memoryStore';
import type {
  ControlMessage,
  HistoryEvent,
  InstanceState,
  WorkItem,
} from '../../../../src/local/durable/types';
import { FunctionRegistry } from '../../../../src/local/registry';

/** The memory store, counting each kind of call. */
class CountingStore extends MemoryDurableStore {
  readonly calls: Record<string, number> = {};
  private count(kind: string) {
    this.calls[kind] = (this.calls[kind] ?? 0) + 1;
  }
  override readHistory(state: InstanceState): Promise<HistoryEvent[]> {
    this.count('readHistory');
    return super.readHistory(state);
  }
  override load(instanceId: string) {
    this.count('load');
    return super.load(instanceId);
  }
}

function engineWith(store: CountingStore) {
  const registry = new FunctionRegistry();
  registry.functions.set('orch', {
    name: 'orch',
    bindings: { context: { type: 'orchestrationTrigger', direction: 'in' } },
    triggerName: 'context',
    trigger: { type: 'orchestrationTrigger', direction: 'in' },
    callback: () => undefined,
  });
  return new DurableEngine(
    registry,
    store,
    new MemoryQueue<ControlMessage>(),
    new MemoryQueue<WorkItem>(),
    new VirtualClock(Date.parse('2026-03-02T09:00:00Z')),
    () => {},
    { taskHub: 'unitHub' },
  );
}

describe('the local Durable engine reads only what is asked for', () => {
  it('a status query without showHistory is one point read of the state, no history read', async () => {
    const store = new CountingStore();
    const engine = engineWith(store);
    assert.deepEqual(await engine.start('orch', 'i-1', '{}'), { ok: true });
    const get = (query: string) =>
      handleManagementApi(
        engine,
        'http://localhost',
        'GET',
        new URL(`http://localhost/durabletask/instances/i-1${query}`),
        '',
      );

    Object.keys(store.calls).forEach((k) => delete store.calls[k]);
    const plain = await get('');
    assert.equal(plain.status, 202);
    assert.deepEqual(store.calls, { load: 1 }, 'the state row only');

    Object.keys(store.calls).forEach((k) => delete store.calls[k]);
    await get('?showHistory=true');
    assert.deepEqual(store.calls, { load: 1, readHistory: 1 }, 'history only when asked for');
  });
});
