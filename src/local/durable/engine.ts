import { randomUUID } from 'node:crypto';

import type { Clock } from '../clock';
import { fromTypedData, invokeFunction, type Logger } from '../invoke';
import type { FunctionRegistry } from '../registry';
import type { DurableStore, MessageSink } from './store';
import {
  ActionType,
  type ActionWire,
  type ControlEvent,
  type ControlMessage,
  EventType,
  type FailureDetailsWire,
  type HistoryEvent,
  type InstanceState,
  type OutboxItem,
  type RetryOptionsWire,
  type RuntimeStatus,
  TERMINAL,
  type WorkItem,
} from './types';

const DAY = 24 * 60 * 60 * 1000;
const OUT_OF_PROC_LABEL = '\n\n$OutOfProcData$:';
const REPLAY_SCHEMA_V3 = 2;
const MAX_PROCESSED_IDS = 200;
const MAX_CACHED_HISTORIES = 2000;

export interface DurableEngineOptions {
  taskHub: string;
  /** Same split the Azure Storage provider uses: timers over 6 days run as 3-day hops. */
  maximumShortTimerMs?: number;
  longRunningTimerIntervalMs?: number;
}

export type StartResult = { ok: true } | { ok: false; status: 400 | 409; error: string };
export type EventResult = 'accepted' | 'not_found' | 'gone';

interface OrchestratorStateWire {
  isDone: boolean;
  actions: ActionWire[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

class EngineError extends Error {}

/** What one episode builds up before it commits. */
interface Episode {
  state: InstanceState;
  now: number;
  timestamp: string;
  /** OrchestratorStarted and the incoming events, in order. */
  newEvents: HistoryEvent[];
  /** TaskScheduled and TimerCreated for what this episode scheduled. */
  scheduled: HistoryEvent[];
  outbox: OutboxItem[];
}

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
  private readonly historyCache = new Map<string, { executionId: string; events: HistoryEvent[] }>();
  private readonly maxShortTimerMs: number;
  private readonly longTimerIntervalMs: number;
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
    this.maxShortTimerMs = options.maximumShortTimerMs ?? 6 * DAY;
    this.longTimerIntervalMs = options.longRunningTimerIntervalMs ?? 3 * DAY;
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
      const now = new Date(this.clock.now()).toISOString();
      const executionId = randomUUID();
      const state: InstanceState = {
        instanceId,
        name,
        executionId,
        runtimeStatus: 'Pending',
        input: inputJson,
        output: 'null',
        customStatus: 'null',
        createdTime: now,
        lastUpdatedTime: now,
        nextSeq: 0,
        historyCount: 0,
        actions: [],
        pending: {},
        processed: [],
        outbox: [
          {
            kind: 'control',
            message: {
              messageId: randomUUID(),
              instanceId,
              executionId,
              event: { type: 'ExecutionStarted', name, input: inputJson },
            },
          },
        ],
      };
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

  async status(instanceId: string): Promise<{ state: InstanceState; history: HistoryEvent[] } | undefined> {
    const loaded = await this.store.load(instanceId);
    if (!loaded) return undefined;
    return { state: loaded.state, history: await this.store.readHistory(loaded.state) };
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
    this.historyCache.delete(instanceId);
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
    for (const timer of due) {
      await this.control.send({
        messageId: `timer:${timer.executionId}:${timer.timerId}`,
        instanceId: timer.instanceId,
        executionId: timer.executionId,
        event: { type: 'TimerFired', timerId: timer.timerId, fireAt: new Date(timer.fireAt).toISOString() },
      });
      await this.store.deleteTimer(timer);
    }
    if (due.length > 0) this.onWork();
    return due.length;
  }

  /** Runs one activity and reports the outcome to its orchestration. */
  async runWorkItem(item: WorkItem): Promise<void> {
    const fn = this.registry.get(item.name);
    let event: ControlEvent;
    if (!fn || fn.trigger.type !== 'activityTrigger') {
      event = {
        type: 'TaskFailed',
        taskId: item.taskId,
        failure: { ErrorType: 'Error', ErrorMessage: `no activity function named "${item.name}"` },
      };
    } else {
      try {
        const response = await invokeFunction(
          this.registry,
          fn,
          [{ name: fn.triggerName, data: { json: item.input } }],
          this.log,
        );
        const result = fromTypedData(response.returnValue);
        event = { type: 'TaskCompleted', taskId: item.taskId, result: JSON.stringify(result ?? null) };
      } catch (err) {
        event = { type: 'TaskFailed', taskId: item.taskId, failure: failureOf(err) };
        this.log(
          'warning',
          `activity ${item.name} failed for ${item.instanceId}: ${event.failure.ErrorMessage.split('\n')[0] ?? ''}`,
        );
      }
    }
    await this.control.send({
      messageId: `task:${item.executionId}:${item.taskId}:${randomUUID()}`,
      instanceId: item.instanceId,
      executionId: item.executionId,
      event,
    });
    this.onWork();
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

    let applied = 0;
    let replayNeeded = false;
    // While suspended, everything but resume and terminate is kept in the state, and handled
    // after a resume, in the order it arrived.
    const queue = [...fresh];
    for (let i = 0; i < queue.length; i++) {
      const event = (queue[i] as ControlMessage).event;
      if (event.type === 'Suspend' || event.type === 'Resume') {
        const suspend = event.type === 'Suspend';
        if (suspend === (state.runtimeStatus === 'Suspended')) continue;
        state.runtimeStatus = suspend ? 'Suspended' : 'Running';
        ep.newEvents.push({
          ...historyEvent(suspend ? EventType.ExecutionSuspended : EventType.ExecutionResumed, timestamp),
          Reason: event.reason,
        });
        applied++;
        if (!suspend) {
          queue.push(...(state.held ?? []));
          state.held = [];
        }
        continue;
      }
      if (state.runtimeStatus === 'Suspended' && event.type !== 'Terminate') {
        state.held = [...(state.held ?? []), queue[i] as ControlMessage];
        applied++;
        continue;
      }
      if (event.type === 'Terminate') {
        ep.newEvents.push({
          ...historyEvent(EventType.ExecutionTerminated, timestamp),
          Input: JSON.stringify(event.reason),
        });
        state.runtimeStatus = 'Terminated';
        state.output = JSON.stringify(event.reason);
        state.held = [];
        ep.outbox.push(...this.cancelAllTimers(state));
        state.pending = {};
        return void (await this.commit(ep, etag, fresh));
      }
      if (this.applyEvent(ep, event)) {
        applied++;
        replayNeeded = true;
      }
    }
    // Only duplicates (a task reported twice, a timer already fired): nothing to replay.
    if (applied === 0) return;
    if (!replayNeeded) {
      ep.newEvents.push(historyEvent(EventType.OrchestratorCompleted, timestamp));
      return void (await this.commit(ep, etag, fresh));
    }

    const history = [...(await this.historyOf(state)), ...ep.newEvents];
    let result: OrchestratorStateWire;
    try {
      result = await this.replay(state, history);
    } catch (err) {
      this.fail(state, err, ep.outbox);
      ep.newEvents.push({ ...historyEvent(EventType.ExecutionFailed, timestamp), Reason: state.output });
      return void (await this.commit(ep, etag, fresh));
    }
    if (result.customStatus !== undefined) state.customStatus = JSON.stringify(result.customStatus);

    const leaves = flatten(result.actions);
    try {
      this.applyActions(ep, leaves);
    } catch (err) {
      this.fail(state, err, ep.outbox);
      return void (await this.commit(ep, etag, fresh));
    }

    if (result.isDone) {
      const continueAsNew = leaves.find((a) => a.actionType === ActionType.ContinueAsNew);
      ep.outbox.push(...this.cancelAllTimers(state));
      state.pending = {};
      if (continueAsNew) {
        const input = wireInput(continueAsNew.input);
        state.output = 'null';
        ep.newEvents.push({ ...historyEvent(EventType.ExecutionCompleted, timestamp), Result: 'null' });
        ep.newEvents.push(historyEvent(EventType.OrchestratorCompleted, timestamp));
        await this.commit(ep, etag, fresh, () => this.nextGeneration(state, input, timestamp, ep.outbox));
        return;
      }
      state.runtimeStatus = 'Completed';
      state.output = JSON.stringify(result.output ?? null);
      ep.newEvents.push({ ...historyEvent(EventType.ExecutionCompleted, timestamp), Result: state.output });
    }
    ep.newEvents.push(historyEvent(EventType.OrchestratorCompleted, timestamp));
    await this.commit(ep, etag, fresh);
  }

  /**
   * The next generation of a continue-as-new: a new execution that starts in this same commit, so
   * the instance is Running throughout and keeps its createdTime (as the extension reports it).
   */
  private nextGeneration(
    state: InstanceState,
    input: string,
    timestamp: string,
    outbox: OutboxItem[],
  ): InstanceState {
    const executionId = randomUUID();
    return {
      ...state,
      executionId,
      runtimeStatus: 'Running',
      createdTime: timestamp,
      input,
      output: 'null',
      nextSeq: 0,
      historyCount: 0,
      actions: [],
      pending: {},
      lastUpdatedTime: timestamp,
      outbox: [
        ...outbox,
        {
          kind: 'control',
          message: {
            messageId: randomUUID(),
            instanceId: state.instanceId,
            executionId,
            event: { type: 'ExecutionStarted', name: state.name, input },
          },
        },
      ],
    };
  }

  /** Applies one incoming event to the state; false when it was a duplicate with no effect. */
  private applyEvent(ep: Episode, event: ControlEvent): boolean {
    const { state, now, timestamp } = ep;
    switch (event.type) {
      case 'ExecutionStarted':
        // Each execution starts once (a fresh instance, or the next generation of continue-as-new).
        if (state.historyCount > 0 || ep.newEvents.some((e) => e.EventType === EventType.ExecutionStarted))
          return false;
        state.runtimeStatus = 'Running';
        ep.newEvents.push({
          ...historyEvent(EventType.ExecutionStarted, timestamp),
          Name: event.name,
          Input: event.input,
        });
        return true;
      case 'TaskCompleted': {
        const pending = state.pending[event.taskId];
        if (!pending || pending.kind !== 'activity') return false;
        delete state.pending[event.taskId];
        ep.newEvents.push({
          ...historyEvent(EventType.TaskCompleted, timestamp),
          TaskScheduledId: event.taskId,
          Result: event.result,
        });
        return true;
      }
      case 'TaskFailed': {
        const pending = state.pending[event.taskId];
        if (!pending || pending.kind !== 'activity') return false;
        delete state.pending[event.taskId];
        ep.newEvents.push({
          ...historyEvent(EventType.TaskFailed, timestamp),
          TaskScheduledId: event.taskId,
          Reason: event.failure.ErrorMessage,
          Details: event.failure.StackTrace ?? '',
          FailureDetails: event.failure,
        });
        if (pending.retry) {
          // The Durable Task retry interceptor waits after every failed attempt, the last one
          // too, with the back-off of that attempt; durable-functions waits on that timer.
          const fireAt = now + retryDelay(pending.retry.options, pending.retry.attempt);
          const timerId = this.scheduleTimer(ep, fireAt);
          state.pending[timerId] = {
            kind: 'retryTimer',
            actionIndex: pending.actionIndex,
            name: pending.name,
            input: pending.input,
            retry: pending.retry,
            fireAt,
          };
        }
        return true;
      }
      case 'TimerFired': {
        const pending = state.pending[event.timerId];
        if (!pending || pending.kind === 'activity') return false;
        delete state.pending[event.timerId];
        ep.newEvents.push({
          ...historyEvent(EventType.TimerFired, timestamp),
          TimerId: event.timerId,
          FireAt: event.fireAt,
        });
        if (pending.kind === 'retryTimer') {
          const attempt = pending.retry.attempt + 1;
          if (attempt <= pending.retry.options.maxNumberOfAttempts) {
            const taskId = this.scheduleActivity(ep, pending.name, pending.input);
            state.pending[taskId] = {
              kind: 'activity',
              actionIndex: pending.actionIndex,
              name: pending.name,
              input: pending.input,
              retry: { ...pending.retry, attempt },
            };
          }
        } else if (pending.long && !pending.cancelled) {
          // The extension's long-timer loop: hops of the interval, then what remains.
          const remaining = pending.finalFireAt - now;
          if (remaining > 0) {
            const fireAt = now + Math.min(remaining, this.longTimerIntervalMs);
            const timerId = this.scheduleTimer(ep, fireAt);
            state.pending[timerId] = { ...pending, fireAt, hop: (pending.hop ?? 1) + 1 };
          }
        }
        return true;
      }
      case 'EventRaised':
        ep.newEvents.push({
          ...historyEvent(EventType.EventRaised, timestamp),
          Name: event.name,
          Input: event.input,
        });
        return true;
      case 'Terminate':
      case 'Suspend':
      case 'Resume':
        return false; // handled by the episode
    }
  }

  /** Allocates the next sequence id for a timer, records TimerCreated and queues the timer. */
  private scheduleTimer(ep: Episode, fireAt: number): number {
    const timerId = ep.state.nextSeq++;
    ep.scheduled.push({
      ...historyEvent(EventType.TimerCreated, ep.timestamp, timerId),
      FireAt: new Date(fireAt).toISOString(),
    });
    ep.outbox.push({
      kind: 'timer',
      timer: { instanceId: ep.state.instanceId, executionId: ep.state.executionId, timerId, fireAt },
    });
    return timerId;
  }

  /** Allocates the next sequence id for an activity, records TaskScheduled and queues the work. */
  private scheduleActivity(ep: Episode, name: string, input: string): number {
    const taskId = ep.state.nextSeq++;
    ep.scheduled.push({
      ...historyEvent(EventType.TaskScheduled, ep.timestamp, taskId),
      Name: name,
      Input: input,
    });
    ep.outbox.push({
      kind: 'work',
      item: { instanceId: ep.state.instanceId, executionId: ep.state.executionId, taskId, name, input },
    });
    return taskId;
  }

  private async replay(state: InstanceState, history: HistoryEvent[]): Promise<OrchestratorStateWire> {
    const fn = this.registry.get(state.name);
    if (!fn) throw new EngineError(`orchestrator function "${state.name}" is not registered`);
    const binding = {
      history,
      input: JSON.parse(state.input) as unknown,
      instanceId: state.instanceId,
      isReplaying: false,
      parentInstanceId: '',
      upperSchemaVersion: REPLAY_SCHEMA_V3,
      upperSchemaVersionNew: REPLAY_SCHEMA_V3,
      maximumShortTimerDuration: timeSpan(this.maxShortTimerMs),
      longRunningTimerIntervalDuration: timeSpan(this.longTimerIntervalMs),
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    };
    const response = await invokeFunction(
      this.registry,
      fn,
      [{ name: fn.triggerName, data: { string: JSON.stringify(binding) } }],
      this.log,
    );
    return fromTypedData(response.returnValue) as OrchestratorStateWire;
  }

  private applyActions(ep: Episode, leaves: ActionWire[]): void {
    const { state, now } = ep;
    if (leaves.length < state.actions.length) {
      throw new EngineError(
        `Non-deterministic workflow detected: the orchestrator now schedules ${leaves.length} actions where its history has ${state.actions.length}`,
      );
    }
    leaves.forEach((action, index) => {
      const seen = state.actions[index];
      if (seen) {
        if (seen.type !== action.actionType || seen.name !== actionName(action)) {
          throw new EngineError(
            `Non-deterministic workflow detected: action #${index} was ${describe(seen.type, seen.name)} in history, and is now ${describe(action.actionType, actionName(action))}. Orchestrator code must make the same calls in the same order on every replay.`,
          );
        }
        if (action.actionType === ActionType.CreateTimer && action.isCanceled)
          this.cancelTimerOf(state, index);
        return;
      }
      state.actions.push({ type: action.actionType, name: actionName(action) });
      switch (action.actionType) {
        case ActionType.CallActivity:
        case ActionType.CallActivityWithRetry: {
          const name = action.functionName ?? '';
          const input = wireInput(action.input);
          const taskId = this.scheduleActivity(ep, name, input);
          const retry =
            action.actionType === ActionType.CallActivityWithRetry && action.retryOptions
              ? { options: action.retryOptions, attempt: 1 }
              : undefined;
          state.pending[taskId] = { kind: 'activity', actionIndex: index, name, input, retry };
          break;
        }
        case ActionType.CreateTimer: {
          // A timer the orchestrator cancelled before returning is still created and still fires.
          const finalFireAt = Date.parse(action.fireAt ?? '');
          const long = finalFireAt - now > this.maxShortTimerMs;
          const fireAt = long ? now + this.longTimerIntervalMs : finalFireAt;
          const timerId = this.scheduleTimer(ep, fireAt);
          state.pending[timerId] = {
            kind: 'timer',
            actionIndex: index,
            finalFireAt,
            fireAt,
            ...(long ? { long: true, hop: 1 } : {}),
            ...(action.isCanceled ? { cancelled: true } : {}),
          };
          break;
        }
        case ActionType.WaitForExternalEvent:
        case ActionType.ContinueAsNew:
          break;
        default:
          throw new EngineError(
            `${describe(action.actionType, actionName(action))} is not supported by the local runtime`,
          );
      }
    });
  }

  /**
   * A cancelled timer is not deleted on Azure: it still fires into the history. The extension
   * schedules a long timer's hops in a loop that ends when the timer is cancelled, and it replays
   * that loop from the start on every episode: cancelled after its first hop, the replay no longer
   * creates the later hops its history holds, and the Durable Task Framework fails the instance
   * as non-deterministic on the next episode.
   */
  private cancelTimerOf(state: InstanceState, actionIndex: number): void {
    for (const pending of Object.values(state.pending)) {
      if (pending.kind !== 'timer' || pending.actionIndex !== actionIndex || pending.cancelled) continue;
      pending.cancelled = true;
      if (pending.long && (pending.hop ?? 1) > 1)
        state.nonDeterminism = `Non-deterministic workflow detected: a timer longer than the maximum timer duration was cancelled after its first hop; the extension's replay no longer schedules hop ${pending.hop ?? 1}. Do not cancel timers longer than ${timeSpan(this.maxShortTimerMs)}.`;
    }
  }

  private fail(state: InstanceState, err: unknown, outbox: OutboxItem[]): void {
    const message = err instanceof Error ? err.message : String(err);
    // durable-functions appends its state after a label; the user's error is in that state.
    const [head = message, data] = message.split(OUT_OF_PROC_LABEL);
    let reason = head;
    if (data) {
      try {
        const wire = JSON.parse(data) as OrchestratorStateWire;
        if (wire.error) reason = wire.error;
        if (wire.customStatus !== undefined) state.customStatus = JSON.stringify(wire.customStatus);
      } catch {
        // keep the head of the message as the reason
      }
    }
    state.runtimeStatus = 'Failed';
    state.output = JSON.stringify(reason);
    outbox.push(...this.cancelAllTimers(state));
    state.pending = {};
    this.log('error', `orchestration ${state.instanceId} failed: ${reason}`);
  }

  /** When an instance ends, its timers go with it (messages to a finished instance are dropped). */
  private cancelAllTimers(state: InstanceState): OutboxItem[] {
    const out: OutboxItem[] = [];
    for (const [id, pending] of Object.entries(state.pending)) {
      if (pending.kind === 'activity') continue;
      delete state.pending[id];
      out.push({
        kind: 'cancelTimer',
        timer: {
          instanceId: state.instanceId,
          executionId: state.executionId,
          timerId: Number(id),
          fireAt: pending.fireAt,
        },
      });
    }
    return out;
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
    await this.store.writeHistory(state, state.historyCount, events);
    const committed: InstanceState = next
      ? next()
      : {
          ...state,
          historyCount: state.historyCount + events.length,
          outbox: [...state.outbox, ...ep.outbox],
        };
    committed.lastUpdatedTime = ep.timestamp;
    committed.processed = [...state.processed, ...messages.map((m) => m.messageId)].slice(-MAX_PROCESSED_IDS);
    const newEtag = await this.store.save(committed, etag);
    // The committed history, kept for the next episode (one process owns an instance's episodes).
    const before = this.historyCache.get(state.instanceId);
    if (
      !next &&
      !TERMINAL.has(committed.runtimeStatus) &&
      before?.executionId === state.executionId &&
      before.events.length === state.historyCount
    )
      this.rememberHistory(state.instanceId, state.executionId, [...before.events, ...events]);
    else this.historyCache.delete(state.instanceId);
    await this.flushOutbox(committed, newEtag);
  }

  /**
   * An instance's history: from memory when this process committed it last (the state row's count
   * says whether that copy is whole), else from the table. Saves reading the whole partition on
   * every episode.
   */
  private async historyOf(state: InstanceState): Promise<HistoryEvent[]> {
    const hit = this.historyCache.get(state.instanceId);
    if (hit?.executionId === state.executionId && hit.events.length === state.historyCount) return hit.events;
    const events = await this.store.readHistory(state);
    this.rememberHistory(state.instanceId, state.executionId, events);
    return events;
  }

  private rememberHistory(instanceId: string, executionId: string, events: HistoryEvent[]): void {
    this.historyCache.delete(instanceId);
    this.historyCache.set(instanceId, { executionId, events });
    // Oldest first out: a bounded cache of the instances that are busy now.
    if (this.historyCache.size > MAX_CACHED_HISTORIES)
      this.historyCache.delete(this.historyCache.keys().next().value ?? '');
  }

  private async flushOutbox(state: InstanceState, etag: string): Promise<string> {
    if (state.outbox.length === 0) return etag;
    for (const item of state.outbox) {
      if (item.kind === 'work') await this.work.send(item.item);
      else if (item.kind === 'control') await this.control.send(item.message);
      else if (item.kind === 'timer') await this.store.putTimer(item.timer);
      else await this.store.deleteTimer(item.timer);
    }
    state.outbox = [];
    const newEtag = await this.store.save(state, etag);
    this.onWork();
    return newEtag;
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

function historyEvent(type: number, timestamp: string, eventId = -1): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: timestamp };
}

function flatten(actions: ActionWire[][] | undefined): ActionWire[] {
  const out: ActionWire[] = [];
  const walk = (a: ActionWire) => {
    if (a.actionType === ActionType.WhenAll || a.actionType === ActionType.WhenAny)
      (a.compoundActions ?? []).forEach(walk);
    else out.push(a);
  };
  for (const group of actions ?? []) group.forEach(walk);
  return out;
}

function actionName(action: ActionWire): string | undefined {
  return action.functionName ?? action.externalEventName;
}

function describe(type: number, name: string | undefined): string {
  const typeName = Object.entries(ActionType).find(([, v]) => v === type)?.[0] ?? `action type ${type}`;
  return name ? `${typeName}("${name}")` : typeName;
}

/**
 * durable-functions already JSON-encodes string inputs (`Utils.processInput`), and the extension
 * passes them on as they are; other values arrive as objects and are encoded here.
 */
function wireInput(input: unknown): string {
  return typeof input === 'string' ? input : JSON.stringify(input ?? null);
}

function retryDelay(options: RetryOptionsWire, attempt: number): number {
  const coefficient =
    options.backoffCoefficient && options.backoffCoefficient > 0 ? options.backoffCoefficient : 1;
  const delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, attempt - 1);
  const cap =
    options.maxRetryIntervalInMilliseconds && options.maxRetryIntervalInMilliseconds > 0
      ? options.maxRetryIntervalInMilliseconds
      : Infinity;
  return Math.min(delay, cap);
}

/** .NET TimeSpan text ("6.00:00:00"), which is what the extension hands durable-functions. */
function timeSpan(ms: number): string {
  const days = Math.floor(ms / DAY);
  const rest = new Date(ms % DAY).toISOString().slice(11, 19);
  return `${days}.${rest}`;
}

function failureOf(err: unknown): FailureDetailsWire {
  if (err instanceof Error) return { ErrorType: err.name, ErrorMessage: err.message, StackTrace: err.stack };
  return { ErrorType: 'Error', ErrorMessage: String(err) };
}
