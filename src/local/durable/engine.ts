import { randomUUID } from 'node:crypto';

import type { JsonQueue } from '../../adapters/queues/jsonQueue';
import type { Clock } from '../clock';
import { fromTypedData, invokeFunction, type Logger } from '../invoke';
import type { FunctionRegistry } from '../registry';
import type { DurableStore } from './store';
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
  type PendingTask,
  type RetryOptionsWire,
  type RuntimeStatus,
  TERMINAL,
  type WorkItem,
} from './types';

const DAY = 24 * 60 * 60 * 1000;
const OUT_OF_PROC_LABEL = '\n\n$OutOfProcData$:';
const REPLAY_SCHEMA_V3 = 2;
const MAX_PROCESSED_IDS = 200;

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
  private readonly maxShortTimerMs: number;
  private readonly longTimerIntervalMs: number;
  /** Called after new work was queued, so pollers can pick it up at once. */
  onWork: () => void = () => {};

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly store: DurableStore,
    private readonly control: JsonQueue<ControlMessage>,
    private readonly work: JsonQueue<WorkItem>,
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

  /** One episode: apply one event (or a batch of raised events), replay, commit, send. */
  async processControl(message: ControlMessage): Promise<void> {
    await this.withLock(message.instanceId, () => this.episode(message));
  }

  private async episode(message: ControlMessage): Promise<void> {
    const loaded = await this.store.load(message.instanceId);
    if (!loaded)
      return void this.log(
        'debug',
        `dropping ${message.event.type} for unknown instance ${message.instanceId}`,
      );
    const state = loaded.state;
    let etag = loaded.etag;
    if (state.outbox.length > 0) etag = await this.flushOutbox(state, etag);
    if (state.processed.includes(message.messageId)) return;
    if (message.executionId && message.executionId !== state.executionId) return;
    if (TERMINAL.has(state.runtimeStatus)) return;

    const now = this.clock.now();
    const timestamp = new Date(now).toISOString();
    const newEvents: HistoryEvent[] = [historyEvent(EventType.OrchestratorStarted, timestamp)];
    const outbox: OutboxItem[] = [];
    const event = message.event;

    if (
      state.runtimeStatus === 'Pending' &&
      event.type !== 'ExecutionStarted' &&
      event.type !== 'Terminate'
    ) {
      throw new EngineError(
        `instance ${state.instanceId} has not started yet; ${event.type} will be retried`,
      );
    }

    switch (event.type) {
      case 'ExecutionStarted':
        if (state.runtimeStatus !== 'Pending') return;
        state.runtimeStatus = 'Running';
        newEvents.push({
          ...historyEvent(EventType.ExecutionStarted, timestamp),
          Name: event.name,
          Input: event.input,
        });
        break;
      case 'Terminate': {
        newEvents.push({
          ...historyEvent(EventType.ExecutionTerminated, timestamp),
          Input: JSON.stringify(event.reason),
        });
        state.runtimeStatus = 'Terminated';
        state.output = JSON.stringify(event.reason);
        outbox.push(...this.cancelAllTimers(state));
        state.pending = {};
        return void (await this.commit(state, etag, message, newEvents, outbox, timestamp));
      }
      case 'TaskCompleted': {
        const pending = state.pending[event.taskId];
        if (!pending || pending.kind !== 'activity') return; // a duplicate delivery
        delete state.pending[event.taskId];
        newEvents.push({
          ...historyEvent(EventType.TaskCompleted, timestamp),
          TaskScheduledId: event.taskId,
          Result: event.result,
        });
        break;
      }
      case 'TaskFailed': {
        const pending = state.pending[event.taskId];
        if (!pending || pending.kind !== 'activity') return;
        delete state.pending[event.taskId];
        newEvents.push({
          ...historyEvent(EventType.TaskFailed, timestamp),
          TaskScheduledId: event.taskId,
          Reason: event.failure.ErrorMessage,
          Details: event.failure.StackTrace ?? '',
          FailureDetails: event.failure,
        });
        if (pending.retry) {
          // durable-functions waits on a retry timer after every failed attempt, the last one too.
          const timerId = state.nextSeq++;
          const isLast = pending.retry.attempt >= pending.retry.options.maxNumberOfAttempts;
          const fireAt = now + (isLast ? 0 : retryDelay(pending.retry.options, pending.retry.attempt));
          state.pending[timerId] = {
            kind: 'retryTimer',
            actionIndex: pending.actionIndex,
            name: pending.name,
            input: pending.input,
            retry: pending.retry,
            fireAt,
          };
          outbox.push({
            kind: 'timer',
            timer: { instanceId: state.instanceId, executionId: state.executionId, timerId, fireAt },
          });
        }
        break;
      }
      case 'TimerFired': {
        const pending = state.pending[event.timerId];
        if (!pending || pending.kind === 'activity') return;
        delete state.pending[event.timerId];
        newEvents.push({
          ...historyEvent(EventType.TimerFired, timestamp),
          TimerId: event.timerId,
          FireAt: event.fireAt,
        });
        if (pending.kind === 'retryTimer') {
          const attempt = pending.retry.attempt + 1;
          if (attempt <= pending.retry.options.maxNumberOfAttempts) {
            const taskId = state.nextSeq++;
            state.pending[taskId] = {
              kind: 'activity',
              actionIndex: pending.actionIndex,
              name: pending.name,
              input: pending.input,
              retry: { ...pending.retry, attempt },
            };
            outbox.push({
              kind: 'work',
              item: {
                instanceId: state.instanceId,
                executionId: state.executionId,
                taskId,
                name: pending.name,
                input: pending.input,
              },
            });
          }
        } else if (pending.finalFireAt > now) {
          // The next hop of a long timer, computed exactly as durable-functions' LongTimerTask does.
          const timerId = state.nextSeq++;
          const fireAt =
            pending.finalFireAt - now > this.maxShortTimerMs
              ? now + this.longTimerIntervalMs
              : pending.finalFireAt;
          state.pending[timerId] = { ...pending, fireAt };
          outbox.push({
            kind: 'timer',
            timer: { instanceId: state.instanceId, executionId: state.executionId, timerId, fireAt },
          });
        }
        break;
      }
      case 'EventRaised':
        newEvents.push({
          ...historyEvent(EventType.EventRaised, timestamp),
          Name: event.name,
          Input: event.input,
        });
        break;
    }

    const history = [...(await this.store.readHistory(state)), ...newEvents];
    let result: OrchestratorStateWire;
    try {
      result = await this.replay(state, history);
    } catch (err) {
      this.fail(state, err, outbox);
      newEvents.push({ ...historyEvent(EventType.ExecutionFailed, timestamp), Reason: state.output });
      return void (await this.commit(state, etag, message, newEvents, outbox, timestamp));
    }
    if (result.customStatus !== undefined) state.customStatus = JSON.stringify(result.customStatus);

    const leaves = flatten(result.actions);
    try {
      this.applyActions(state, leaves, now, timestamp, newEvents, outbox);
    } catch (err) {
      this.fail(state, err, outbox);
      return void (await this.commit(state, etag, message, newEvents, outbox, timestamp));
    }

    if (result.isDone) {
      const continueAsNew = leaves.find((a) => a.actionType === ActionType.ContinueAsNew);
      outbox.push(...this.cancelAllTimers(state));
      if (continueAsNew) {
        await this.commit(state, etag, message, newEvents, [], timestamp, () => {
          const input = JSON.stringify(continueAsNew.input ?? null);
          const executionId = randomUUID();
          return {
            ...state,
            executionId,
            runtimeStatus: 'Pending' as const,
            input,
            output: 'null',
            nextSeq: 0,
            historyCount: 0,
            actions: [],
            pending: {},
            outbox: [
              ...outbox,
              {
                kind: 'control' as const,
                message: {
                  messageId: randomUUID(),
                  instanceId: state.instanceId,
                  executionId,
                  event: { type: 'ExecutionStarted' as const, name: state.name, input },
                },
              },
            ],
          };
        });
        return;
      }
      state.runtimeStatus = 'Completed';
      state.output = JSON.stringify(result.output ?? null);
      state.pending = {};
      newEvents.push({ ...historyEvent(EventType.ExecutionCompleted, timestamp), Result: state.output });
    }
    newEvents.push(historyEvent(EventType.OrchestratorCompleted, timestamp));
    await this.commit(state, etag, message, newEvents, outbox, timestamp);
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

  private applyActions(
    state: InstanceState,
    leaves: ActionWire[],
    now: number,
    timestamp: string,
    newEvents: HistoryEvent[],
    outbox: OutboxItem[],
  ): void {
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
          outbox.push(...this.cancelTimersOf(state, index));
        return;
      }
      state.actions.push({ type: action.actionType, name: actionName(action) });
      const base = { instanceId: state.instanceId, executionId: state.executionId };
      switch (action.actionType) {
        case ActionType.CallActivity:
        case ActionType.CallActivityWithRetry: {
          const taskId = state.nextSeq++;
          const name = action.functionName ?? '';
          const input = JSON.stringify(action.input ?? null);
          const retry =
            action.actionType === ActionType.CallActivityWithRetry && action.retryOptions
              ? { options: action.retryOptions, attempt: 1 }
              : undefined;
          state.pending[taskId] = { kind: 'activity', actionIndex: index, name, input, retry };
          newEvents.push({
            ...historyEvent(EventType.TaskScheduled, timestamp, taskId),
            Name: name,
            Input: input,
          });
          outbox.push({ kind: 'work', item: { ...base, taskId, name, input } });
          break;
        }
        case ActionType.CreateTimer: {
          const timerId = state.nextSeq++;
          const finalFireAt = Date.parse(action.fireAt ?? '');
          const fireAt =
            finalFireAt - now > this.maxShortTimerMs ? now + this.longTimerIntervalMs : finalFireAt;
          newEvents.push({
            ...historyEvent(EventType.TimerCreated, timestamp, timerId),
            FireAt: new Date(fireAt).toISOString(),
          });
          if (action.isCanceled) break;
          state.pending[timerId] = { kind: 'timer', actionIndex: index, finalFireAt, fireAt };
          outbox.push({ kind: 'timer', timer: { ...base, timerId, fireAt } });
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

  private cancelTimersOf(state: InstanceState, actionIndex: number): OutboxItem[] {
    return this.cancelWhere(state, (p) => p.kind === 'timer' && p.actionIndex === actionIndex);
  }

  private cancelAllTimers(state: InstanceState): OutboxItem[] {
    return this.cancelWhere(state, (p) => p.kind !== 'activity');
  }

  private cancelWhere(state: InstanceState, match: (p: PendingTask) => boolean): OutboxItem[] {
    const out: OutboxItem[] = [];
    for (const [id, pending] of Object.entries(state.pending)) {
      if (pending.kind === 'activity' || !match(pending)) continue;
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
    state: InstanceState,
    etag: string,
    message: ControlMessage,
    newEvents: HistoryEvent[],
    outbox: OutboxItem[],
    timestamp: string,
    next?: () => InstanceState,
  ): Promise<void> {
    await this.store.writeHistory(state, state.historyCount, newEvents);
    const committed: InstanceState = next
      ? next()
      : {
          ...state,
          historyCount: state.historyCount + newEvents.length,
          outbox: [...state.outbox, ...outbox],
        };
    committed.lastUpdatedTime = timestamp;
    committed.processed = [...state.processed, message.messageId].slice(-MAX_PROCESSED_IDS);
    const newEtag = await this.store.save(committed, etag);
    await this.flushOutbox(committed, newEtag);
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
