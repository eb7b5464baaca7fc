import type { HistoryEvent, InstanceState } from './types';

/**
 * The histories of the instances that are busy now, as this process committed them: saves reading
 * an instance's whole partition on every episode. The state row's history count says whether a
 * copy is whole; the oldest goes first when the cache is full.
 */
export class HistoryCache {
  private readonly byInstance = new Map<string, { executionId: string; events: HistoryEvent[] }>();

  constructor(private readonly max: number) {}

  /** The cached history of this state's execution, when it is whole. */
  whole(state: InstanceState): HistoryEvent[] | undefined {
    const hit = this.byInstance.get(state.instanceId);
    return hit?.executionId === state.executionId && hit.events.length === state.historyCount
      ? hit.events
      : undefined;
  }

  remember(instanceId: string, executionId: string, events: HistoryEvent[]): void {
    this.byInstance.delete(instanceId);
    this.byInstance.set(instanceId, { executionId, events });
    if (this.byInstance.size > this.max) this.byInstance.delete(this.byInstance.keys().next().value ?? '');
  }

  /**
   * After a commit of `events` onto `state`'s history: the copy grows when it was whole and the
   * instance goes on (`keep`), and is dropped otherwise.
   */
  extend(state: InstanceState, events: HistoryEvent[], keep: boolean): void {
    const before = this.byInstance.get(state.instanceId);
    if (keep && before?.executionId === state.executionId && before.events.length === state.historyCount)
      this.remember(state.instanceId, state.executionId, [...before.events, ...events]);
    else this.byInstance.delete(state.instanceId);
  }

  forget(instanceId: string): void {
    this.byInstance.delete(instanceId);
  }
}
