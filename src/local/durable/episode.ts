/**
 * One episode of an instance as pure state changes: the events it takes in, the tasks and timers
 * it schedules (with their sequence ids), and how an instance ends.
 * The engine (engine.ts) loads, replays, commits and sends around these.
 */

import {
  ActionType,
  type ActionWire,
  type ControlEvent,
  type ControlMessage,
  EventType,
  type HistoryEvent,
  type InstanceState,
  type OutboxItem,
} from './types';
import {
  actionName,
  describeAction,
  EngineError,
  historyEvent,
  type OrchestratorStateWire,
  OUT_OF_PROC_LABEL,
  retryDelay,
  type TimerSettings,
  timeSpan,
  wireInput,
} from './wire';

/** What one episode builds up before it commits. */
export interface Episode {
  state: InstanceState;
  now: number;
  timestamp: string;
  /** OrchestratorStarted and the incoming events, in order. */
  newEvents: HistoryEvent[];
  /** TaskScheduled and TimerCreated for what this episode scheduled. */
  scheduled: HistoryEvent[];
  outbox: OutboxItem[];
}

/** Applies one incoming event to the state; false when it was a duplicate with no effect. */
export function applyEvent(ep: Episode, event: ControlEvent, timers: TimerSettings): boolean {
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
        const timerId = scheduleTimer(ep, fireAt);
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
          const taskId = scheduleActivity(ep, pending.name, pending.input);
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
          const fireAt = now + Math.min(remaining, timers.longTimerIntervalMs);
          const timerId = scheduleTimer(ep, fireAt);
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
export function scheduleTimer(ep: Episode, fireAt: number): number {
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
export function scheduleActivity(ep: Episode, name: string, input: string): number {
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

/** Turns the orchestrator's new actions into scheduled work and timers; throws on non-determinism. */
export function applyActions(ep: Episode, leaves: ActionWire[], timers: TimerSettings): void {
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
          `Non-deterministic workflow detected: action #${index} was ${describeAction(seen.type, seen.name)} in history, and is now ${describeAction(action.actionType, actionName(action))}. Orchestrator code must make the same calls in the same order on every replay.`,
        );
      }
      if (action.actionType === ActionType.CreateTimer && action.isCanceled)
        cancelTimerOf(state, index, timers);
      return;
    }
    state.actions.push({ type: action.actionType, name: actionName(action) });
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry: {
        const name = action.functionName ?? '';
        const input = wireInput(action.input);
        const taskId = scheduleActivity(ep, name, input);
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
        const long = finalFireAt - now > timers.maxShortTimerMs;
        const fireAt = long ? now + timers.longTimerIntervalMs : finalFireAt;
        const timerId = scheduleTimer(ep, fireAt);
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
          `${describeAction(action.actionType, actionName(action))} is not supported by the local runtime`,
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
export function cancelTimerOf(state: InstanceState, actionIndex: number, timers: TimerSettings): void {
  for (const pending of Object.values(state.pending)) {
    if (pending.kind !== 'timer' || pending.actionIndex !== actionIndex || pending.cancelled) continue;
    pending.cancelled = true;
    if (pending.long && (pending.hop ?? 1) > 1)
      state.nonDeterminism = `Non-deterministic workflow detected: a timer longer than the maximum timer duration was cancelled after its first hop; the extension's replay no longer schedules hop ${pending.hop ?? 1}. Do not cancel timers longer than ${timeSpan(timers.maxShortTimerMs)}.`;
  }
}

/** Marks the instance failed with the orchestrator's own error; returns the reason. */
export function failInstance(state: InstanceState, err: unknown, outbox: OutboxItem[]): string {
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
  outbox.push(...cancelAllTimers(state));
  state.pending = {};
  return reason;
}

/** When an instance ends, its timers go with it (messages to a finished instance are dropped). */
export function cancelAllTimers(state: InstanceState): OutboxItem[] {
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

/**
 * The episode's messages, in order. While suspended, everything but resume and terminate is kept
 * in the state, and handled after a resume, in the order it arrived. `applied` counts what changed
 * anything (0: only duplicates); `replayNeeded` whether the orchestrator has something new to see.
 */
export function applyMessages(
  ep: Episode,
  messages: ControlMessage[],
  timers: TimerSettings,
): { terminated: boolean; applied: number; replayNeeded: boolean } {
  const { state, timestamp } = ep;
  let applied = 0;
  let replayNeeded = false;
  const queue = [...messages];
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
      ep.outbox.push(...cancelAllTimers(state));
      state.pending = {};
      return { terminated: true, applied, replayNeeded };
    }
    if (applyEvent(ep, event, timers)) {
      applied++;
      replayNeeded = true;
    }
  }
  return { terminated: false, applied, replayNeeded };
}
