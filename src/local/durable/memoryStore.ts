import type { DurableStore, LoadedState, MessageSink } from './store';
import type { HistoryEvent, InstanceState, TimerRow } from './types';

/** JSON in and out, as the table store does: nothing the engine holds aliases what is stored. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const timerKey = (t: TimerRow) => `${t.instanceId}|${t.executionId}|${t.timerId}`;

/**
 * The engine's store in memory, for tests of orchestrators that need no Azurite: the same commit
 * rules as the table store (a stale etag is refused; history past `historyCount` is not read).
 */
export class MemoryDurableStore implements DurableStore {
  private readonly states = new Map<string, { state: string; etag: number }>();
  private readonly histories = new Map<string, HistoryEvent[]>();
  private readonly timers = new Map<string, TimerRow>();
  private etags = 0;

  ensure(): Promise<void> {
    return Promise.resolve();
  }

  load(instanceId: string): Promise<LoadedState | undefined> {
    const row = this.states.get(instanceId);
    return Promise.resolve(row && { state: JSON.parse(row.state) as InstanceState, etag: String(row.etag) });
  }

  save(state: InstanceState, etag?: string): Promise<string> {
    const current = this.states.get(state.instanceId);
    if (etag === undefined ? current : String(current?.etag) !== etag)
      return Promise.reject(
        Object.assign(new Error(`instance ${state.instanceId} changed underneath`), { statusCode: 412 }),
      );
    const next = ++this.etags;
    this.states.set(state.instanceId, { state: JSON.stringify(state), etag: next });
    return Promise.resolve(String(next));
  }

  readHistory(state: InstanceState): Promise<HistoryEvent[]> {
    const key = `${state.instanceId}|${state.executionId}`;
    return Promise.resolve(copy((this.histories.get(key) ?? []).slice(0, state.historyCount)));
  }

  writeHistory(state: InstanceState, startIndex: number, events: HistoryEvent[]): Promise<void> {
    const key = `${state.instanceId}|${state.executionId}`;
    const history = this.histories.get(key) ?? [];
    copy(events).forEach((e, i) => (history[startIndex + i] = e));
    this.histories.set(key, history);
    return Promise.resolve();
  }

  deleteInstance(instanceId: string): Promise<boolean> {
    const existed = this.states.delete(instanceId);
    for (const key of [...this.histories.keys()])
      if (key.startsWith(`${instanceId}|`)) this.histories.delete(key);
    return Promise.resolve(existed);
  }

  listStates(): Promise<InstanceState[]> {
    return Promise.resolve([...this.states.values()].map((row) => JSON.parse(row.state) as InstanceState));
  }

  putTimer(timer: TimerRow): Promise<void> {
    this.timers.set(timerKey(timer), copy(timer));
    return Promise.resolve();
  }

  deleteTimer(timer: TimerRow): Promise<void> {
    this.timers.delete(timerKey(timer));
    return Promise.resolve();
  }

  nextTimerAt(): Promise<number | undefined> {
    return Promise.resolve(this.sortedTimers()[0]?.fireAt);
  }

  dueTimers(now: number, max = 100): Promise<TimerRow[]> {
    return Promise.resolve(
      this.sortedTimers()
        .filter((t) => t.fireAt <= now)
        .slice(0, max)
        .map(copy),
    );
  }

  private sortedTimers(): TimerRow[] {
    return [...this.timers.values()].sort(
      (a, b) =>
        a.fireAt - b.fireAt ||
        a.instanceId.localeCompare(b.instanceId) ||
        a.executionId.localeCompare(b.executionId) ||
        a.timerId - b.timerId,
    );
  }
}

/** A queue in memory: what the engine sends waits here until a test takes it. */
export class MemoryQueue<T> implements MessageSink<T> {
  private readonly messages: T[] = [];

  ensureQueue(): Promise<void> {
    return Promise.resolve();
  }

  send(body: T): Promise<string> {
    this.messages.push(copy(body));
    return Promise.resolve(String(this.messages.length));
  }

  /** Takes every waiting message, oldest first. */
  takeAll(): T[] {
    return this.messages.splice(0);
  }

  get size(): number {
    return this.messages.length;
  }
}
