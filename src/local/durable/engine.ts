import { randomUUID } from 'node:crypto';

import type { Clock } from '../clock';
import type { Logger } from '../invoke';
import type { FunctionRegistry } from '../registry';
import { applyActions, applyMessages, cancelAllTimers, type Episode, failInstance } from './episode';
import { HistoryCache } from './historyCache';
import { newInstance, nextGeneration } from './instanceState';
import type { DurableStore, MessageSink } from './store';
import {
  ActionType,
  type ControlEvent,
  type ControlMessage,
  EventType,
  type HistoryEvent,
  type InstanceState,
  type OutboxItem,
  type RuntimeStatus,
  TERMINAL,
  type WorkItem,
} from './types';
import {
  DAY,
  EngineError,
  flatten,
  historyEvent,
  type OrchestratorStateWire,
  replayOrchestrator,
  runActivity,
  type TimerSettings,
  wireInput,
} from './wire';

export interface DurableEngineOptions {
  taskHub: string;
  /** Same split the Azure Storage provider uses: timers over 6 days run as 3-day hops. */
  maximumShortTimerMs?: number;
  longRunningTimerIntervalMs?: number;
}

export type StartResult = { ok: true } | { ok: false; status: 400 | 409; error: string };
export type EventResult = 'accepted' | 'not_found' | 'gone';

const MAX_PROCESSED_IDS = 200;
const MAX_CACHED_HISTORIES = 2000;

/**
 * A Durable Task host for local runs and tests. Orchestrator code runs through durable-functions'
 * own replay: each episode hands the orchestrator function its history, exactly as the Durable
 * extension does, and turns the actions it returns into work items and timers.
 *
 * Sequence ids: durable-functions numbers tasks 0, 1, 2... in the order it creates them, including
 * the hidden ones behind retries (a timer, then the next attempt) and long timers (one per hop).
 * The engine allocates ids in that same order by handling one event per episode.
 */
export class DurableEngine {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly histories = new HistoryCache(MAX_CACHED_HISTORIES);
  private readonly timers: TimerSettings;
  /** Called after new work was queued, so pollers can pick it up at once. */
  onWork: () => void = () => {};

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly store: DurableStore,
    private readonly control: MessageSink<ControlMessage>,
    private readonly work: MessageSink<WorkItem>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: DurableEngineOptions,
  ) {
    this.timers = {
      maxShortTimerMs: options.maximumShortTimerMs ?? 6 * DAY,
      longTimerIntervalMs: options.longRunningTimerIntervalMs ?? 3 * DAY,
    };
  }

  get taskHub(): string {
    return this.options.taskHub;
  }

  async ensure(): Promise<void> {
    await Promise.all([this.store.ensure(), this.control.ensureQueue(), this.work.ensureQueue()]);
  }

  // ---- client operations (the HTTP management API calls these) ----

  async start(name: string, instanceId: string, inputJson: string): Promise<StartResult> {
    const fn = this.registry.get(name);
    if (!fn || fn.trigger.type !== 'orchestrationTrigger')
      return { ok: false, status: 400, error: `no orchestrator function named "${name}"` };
    return this.withLock(instanceId, async () => {
      const existing = await this.store.load(instanceId);
      if (existing && !TERMINAL.has(existing.state.runtimeStatus)) {
        return {
          ok: false,
          status: 409,
          error: `instance ${instanceId} already exists and is ${existing.state.runtimeStatus}`,
        };
      }
      if (existing) await this.store.deleteInstance(instanceId);
      const state = newInstance(name, instanceId, inputJson, new Date(this.clock.now()).toISOString());
      const etag = await this.store.save(state);
      await this.flushOutbox(state, etag);
      return { ok: true };
    });
  }

  async raiseEvent(instanceId: string, name: string, inputJson: string): Promise<EventResult> {
    return this.sendToInstance(instanceId, { type: 'EventRaised', name, input: inputJson });
  }

  async terminate(instanceId: string, reason: string): Promise<EventResult> {
    return this.sendToInstance(instanceId, { type: 'Terminate', reason });
  }

  /** Holds the instance: messages wait (timers, results, events) until it is resumed. */
  async suspend(instanceId: string, reason: string): Promise<EventResult> {
    return this.sendToInstance(instanceId, { type: 'Suspend', reason });
  }

  async resume(instanceId: string, reason: string): Promise<EventResult> {
    return this.sendToInstance(instanceId, { type: 'Resume', reason });
  }

  /** Starts the instance's orchestration again with its original input, under a new id or its own. */
  async restart(
    instanceId: string,
    newInstanceId: string | undefined,
  ): Promise<StartResult & { instanceId?: string }> {
    const loaded = await this.store.load(instanceId);
    if (!loaded) return { ok: false, status: 400, error: `no instance ${instanceId}` };
    const id = newInstanceId ?? instanceId;
    const started = await this.start(loaded.state.name, id, loaded.state.input);
    return started.ok ? { ...started, instanceId: id } : started;
  }

  /**
   * An instance's state, and its history unless `history: false`: a status query without
   * `showHistory` is one point read, not a read of the instance's whole partition.
   */
  async status(
    instanceId: string,
    options: { history?: boolean } = {},
  ): Promise<{ state: InstanceState; history: HistoryEvent[] } | undefined> {
    const loaded = await this.store.load(instanceId);
    if (!loaded) return undefined;
    const history = options.history === false ? [] : await this.store.readHistory(loaded.state);
    return { state: loaded.state, history };
  }

  async query(filter: {
    runtimeStatus?: RuntimeStatus[];
    createdFrom?: string;
    createdTo?: string;
  }): Promise<InstanceState[]> {
    return (await this.store.listStates()).filter(
      (s) =>
        (!filter.runtimeStatus || filter.runtimeStatus.includes(s.runtimeStatus)) &&
        (!filter.createdFrom || s.createdTime >= filter.createdFrom) &&
        (!filter.createdTo || s.createdTime <= filter.createdTo),
    );
  }

  async purge(instanceId: string): Promise<boolean> {
    this.histories.forget(instanceId);
    return this.withLock(instanceId, () => this.store.deleteInstance(instanceId));
  }

  private async sendToInstance(instanceId: string, event: ControlEvent): Promise<EventResult> {
    const loaded = await this.store.load(instanceId);
    if (!loaded) return 'not_found';
    if (TERMINAL.has(loaded.state.runtimeStatus)) return 'gone';
    await this.control.send({ messageId: randomUUID(), instanceId, event });
    this.onWork();
    return 'accepted';
  }

  // ---- workers ----

  /** Runs one activity and reports the outcome to its orchestration. */
  async runWorkItem(item: WorkItem): Promise<void> {
    const event = await runActivity(this.registry, this.log, item);
    await this.control.send({
      messageId: `task:${item.executionId}:${item.taskId}:${randomUUID()}`,
      instanceId: item.instanceId,
      executionId: item.executionId,
      event,
    });
    this.onWork();
  }

  /** Re-sends what a crashed process committed but had not yet sent. */
  async recover(): Promise<number> {
    let flushed = 0;
    for (const state of await this.store.listStates()) {
      if (state.outbox.length === 0) continue;
      await this.withLock(state.instanceId, async () => {
        const loaded = await this.store.load(state.instanceId);
        if (loaded && loaded.state.outbox.length > 0) {
          await this.flushOutbox(loaded.state, loaded.etag);
          flushed++;
        }
      });
    }
    return flushed;
  }

  /** When the earliest durable timer is due, if any. */
  async nextTimerAt(): Promise<number | undefined> {
    return this.store.nextTimerAt();
  }

  async fireDueTimers(): Promise<number> {
    const due = await this.store.dueTimers(this.clock.now());
    // Each timer's message goes before its row does; the timers are independent of each other.
    await Promise.all(
      due.map(async (timer) => {
        await this.control.send({
          messageId: `timer:${timer.executionId}:${timer.timerId}`,
          instanceId: timer.instanceId,
          executionId: timer.executionId,
          event: {
            type: 'TimerFired',
            timerId: timer.timerId,
            fireAt: new Date(timer.fireAt).toISOString(),
          },
        });
        await this.store.deleteTimer(timer);
      }),
    );
    if (due.length > 0) this.onWork();
    return due.length;
  }

  /**
   * One episode: every new message for one instance (the extension also hands an orchestration all
   * of its queued messages at once), applied in order, then one replay, commit and send.
   */
  async processControl(messages: ControlMessage | ControlMessage[]): Promise<void> {
    const batch = Array.isArray(messages) ? messages : [messages];
    const instanceId = batch[0]?.instanceId;
    if (!instanceId) return;
    await this.withLock(instanceId, () => this.episode(instanceId, batch));
  }

  private async episode(instanceId: string, messages: ControlMessage[]): Promise<void> {
    const loaded = await this.store.load(instanceId);
    if (!loaded)
      return void this.log(
        'debug',
        `dropping ${messages.length} message(s) for unknown instance ${instanceId}`,
      );
    const state = loaded.state;
    let etag = loaded.etag;
    if (state.outbox.length > 0) etag = await this.flushOutbox(state, etag);
    const fresh = messages
      .filter(
        (m) =>
          !state.processed.includes(m.messageId) && (!m.executionId || m.executionId === state.executionId),
      )
      // An execution starts before anything else reaches it, whatever order the queue returned.
      .sort(
        (a, b) => Number(b.event.type === 'ExecutionStarted') - Number(a.event.type === 'ExecutionStarted'),
      );
    if (fresh.length === 0 || TERMINAL.has(state.runtimeStatus)) return;

    const now = this.clock.now();
    const timestamp = new Date(now).toISOString();
    const ep: Episode = {
      state,
      now,
      timestamp,
      newEvents: [historyEvent(EventType.OrchestratorStarted, timestamp)],
      scheduled: [],
      outbox: [],
    };

    if (
      state.historyCount === 0 &&
      !fresh.some((m) => m.event.type === 'ExecutionStarted' || m.event.type === 'Terminate')
    ) {
      throw new EngineError(`instance ${state.instanceId} has not started yet; its messages will be retried`);
    }
    if (state.nonDeterminism) {
      this.fail(state, new EngineError(state.nonDeterminism), ep.outbox);
      ep.newEvents.push({ ...historyEvent(EventType.ExecutionFailed, timestamp), Reason: state.output });
      return void (await this.commit(ep, etag, fresh));
    }

    const { terminated, applied, replayNeeded } = applyMessages(ep, fresh, this.timers);
    if (terminated) return void (await this.commit(ep, etag, fresh));
    // Only duplicates (a task reported twice, a timer already fired): nothing to replay.
    if (applied === 0) return;
    if (!replayNeeded) {
      ep.newEvents.push(historyEvent(EventType.OrchestratorCompleted, timestamp));
      return void (await this.commit(ep, etag, fresh));
    }

    const history = [...(await this.historyOf(state)), ...ep.newEvents];
    let result: OrchestratorStateWire;
    try {
      result = await replayOrchestrator(this.registry, this.log, this.timers, state, history);
    } catch (err) {
      this.fail(state, err, ep.outbox);
      ep.newEvents.push({ ...historyEvent(EventType.ExecutionFailed, timestamp), Reason: state.output });
      return void (await this.commit(ep, etag, fresh));
    }
    if (result.customStatus !== undefined) state.customStatus = JSON.stringify(result.customStatus);

    const leaves = flatten(result.actions);
    try {
      applyActions(ep, leaves, this.timers);
    } catch (err) {
      this.fail(state, err, ep.outbox);
      return void (await this.commit(ep, etag, fresh));
    }

    if (result.isDone) {
      const continueAsNew = leaves.find((a) => a.actionType === ActionType.ContinueAsNew);
      ep.outbox.push(...cancelAllTimers(state));
      state.pending = {};
      if (continueAsNew) {
        const input = wireInput(continueAsNew.input);
        state.output = 'null';
        ep.newEvents.push({ ...historyEvent(EventType.ExecutionCompleted, timestamp), Result: 'null' });
        ep.newEvents.push(historyEvent(EventType.OrchestratorCompleted, timestamp));
        await this.commit(ep, etag, fresh, () => nextGeneration(state, input, timestamp, ep.outbox));
        return;
      }
      state.runtimeStatus = 'Completed';
      state.output = JSON.stringify(result.output ?? null);
      ep.newEvents.push({ ...historyEvent(EventType.ExecutionCompleted, timestamp), Result: state.output });
    }
    ep.newEvents.push(historyEvent(EventType.OrchestratorCompleted, timestamp));
    await this.commit(ep, etag, fresh);
  }

  private fail(state: InstanceState, err: unknown, outbox: OutboxItem[]): void {
    const reason = failInstance(state, err, outbox);
    this.log('error', `orchestration ${state.instanceId} failed: ${reason}`);
  }

  private async commit(
    ep: Episode,
    etag: string,
    messages: ControlMessage[],
    next?: () => InstanceState,
  ): Promise<void> {
    const { state } = ep;
    // New tasks and timers follow the events that caused them, in sequence order, as the
    // extension appends them; the episode's closing events stay last.
    const closing = ep.newEvents.filter(
      (e) => e.EventType === EventType.OrchestratorCompleted || e.EventType === EventType.ExecutionCompleted,
    );
    const events = [
      ...ep.newEvents.filter((e) => !closing.includes(e)),
      ...ep.scheduled.sort((a, b) => a.EventId - b.EventId),
      ...closing,
    ];
    // The Azure Storage provider's order: an episode's messages and timers go out first, then its
    // history and state are committed, and only then are the messages it handled deleted. A crash
    // in between runs the episode again from the same messages (at least once, as on Azure: an
    // activity may run twice; a result or timer for a task the state does not hold is dropped).
    // A continue-as-new keeps its messages in the state's outbox: the next execution's start
    // must not reach the queue before the state that names that execution.
    const sendFirst = !next && ep.outbox.length > 0;
    await Promise.all([
      this.store.writeHistory(state, state.historyCount, events),
      sendFirst ? this.send(ep.outbox) : undefined,
    ]);
    const committed: InstanceState = next
      ? next()
      : {
          ...state,
          historyCount: state.historyCount + events.length,
          outbox: sendFirst ? state.outbox : [...state.outbox, ...ep.outbox],
        };
    committed.lastUpdatedTime = ep.timestamp;
    committed.processed = [...state.processed, ...messages.map((m) => m.messageId)].slice(-MAX_PROCESSED_IDS);
    const newEtag = await this.store.save(committed, etag);
    // The committed history, kept for the next episode (one process owns an instance's episodes).
    this.histories.extend(state, events, !next && !TERMINAL.has(committed.runtimeStatus));
    if (sendFirst) this.onWork();
    await this.flushOutbox(committed, newEtag);
  }

  /** An instance's history: from memory when this process committed it last, else from the table. */
  private async historyOf(state: InstanceState): Promise<HistoryEvent[]> {
    const hit = this.histories.whole(state);
    if (hit) return hit;
    const events = await this.store.readHistory(state);
    this.histories.remember(state.instanceId, state.executionId, events);
    return events;
  }

  /** Re-sends a committed outbox (an instance's start, a continue-as-new, a crash), then clears it. */
  private async flushOutbox(state: InstanceState, etag: string): Promise<string> {
    if (state.outbox.length === 0) return etag;
    await this.send(state.outbox);
    state.outbox = [];
    const newEtag = await this.store.save(state, etag);
    this.onWork();
    return newEtag;
  }

  /**
   * Queue messages stand alone: they go out together, so an episode that schedules several
   * activities waits for one round trip, not one per item. Timer rows keep their order (an
   * episode may create a timer and cancel it again), alongside the messages.
   */
  private async send(items: OutboxItem[]): Promise<void> {
    const timerRows = async () => {
      for (const item of items)
        if (item.kind === 'timer') await this.store.putTimer(item.timer);
        else if (item.kind === 'cancelTimer') await this.store.deleteTimer(item.timer);
    };
    await Promise.all([
      timerRows(),
      ...items.map((item) =>
        item.kind === 'work'
          ? this.work.send(item.item)
          : item.kind === 'control'
            ? this.control.send(item.message)
            : undefined,
      ),
    ]);
  }

  private async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }
}
