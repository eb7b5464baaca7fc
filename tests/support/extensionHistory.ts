/**
 * Orchestration histories written by hand the way the Durable extension writes them (Azure
 * Storage provider, out-of-process schema V3), and a replay of an orchestrator function over one
 * through durable-functions' own executor, exactly as the extension invokes it.
 *
 * The extension's rules these histories follow (Microsoft.Azure.WebJobs.Extensions.DurableTask
 * OutOfProcOrchestrationShim and DurableOrchestrationContext.CreateTimer, DurableTask.Core):
 * - every episode starts with OrchestratorStarted and ends with OrchestratorCompleted; the events
 *   that woke it come first, then TaskScheduled / TimerCreated for what it scheduled, in id order;
 * - sequence ids count every scheduled task and timer, including retry timers and long-timer hops;
 * - a timer over 6 days runs as hops: 3 days while more than 3 days remain, then the rest; a
 *   cancelled timer is not deleted and still fires (TimerFired), and a cancelled long timer hops
 *   no further;
 * - a failed attempt of a retried activity is followed by a retry timer (after the last attempt
 *   too), then the next attempt as a new task.
 */
import type { OrchestrationHandler } from 'durable-functions';

import { EventType } from '../../src/local/durable/types';

/** durable-functions' own orchestrator executor (what `df.app.orchestration` wraps a handler in). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Orchestrator } = require('durable-functions/lib/src/orchestrations/Orchestrator') as {
  Orchestrator: new (fn: OrchestrationHandler) => {
    handle(trigger: unknown, context: unknown): Promise<unknown>;
  };
};

/** durable-functions' history event numbers (the local engine's copy of them). */
export { EventType };

export interface WireEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [key: string]: unknown;
}

export interface WireAction {
  actionType: number;
  functionName?: string;
  fireAt?: string | Date;
  isCanceled?: boolean;
  externalEventName?: string;
  input?: unknown;
  compoundActions?: WireAction[];
}

export class ExtensionHistory {
  readonly events: WireEvent[] = [];
  private at: Date;

  constructor(start: Date) {
    this.at = start;
  }

  private push(type: number, fields: Record<string, unknown> = {}, eventId = -1): this {
    this.events.push({
      EventType: type,
      EventId: eventId,
      IsPlayed: false,
      Timestamp: this.at.toISOString(),
      ...fields,
    });
    return this;
  }

  /** Opens an episode at an instant. */
  episode(at: Date): this {
    this.at = at;
    return this.push(EventType.OrchestratorStarted);
  }
  started(name: string, input: unknown): this {
    return this.push(EventType.ExecutionStarted, { Name: name, Input: JSON.stringify(input) });
  }
  taskScheduled(id: number, name: string): this {
    return this.push(EventType.TaskScheduled, { Name: name }, id);
  }
  timerCreated(id: number, fireAt: Date): this {
    return this.push(EventType.TimerCreated, { FireAt: fireAt.toISOString() }, id);
  }
  taskCompleted(id: number, result: unknown): this {
    return this.push(EventType.TaskCompleted, { TaskScheduledId: id, Result: JSON.stringify(result) });
  }
  taskFailed(id: number, message: string): this {
    return this.push(EventType.TaskFailed, {
      TaskScheduledId: id,
      Reason: message,
      Details: '',
      FailureDetails: { ErrorType: 'Error', ErrorMessage: message },
    });
  }
  timerFired(id: number, fireAt: Date): this {
    return this.push(EventType.TimerFired, { TimerId: id, FireAt: fireAt.toISOString() });
  }
  eventRaised(name: string, value: unknown): this {
    return this.push(EventType.EventRaised, { Name: name, Input: JSON.stringify(value) });
  }
  completed(): this {
    return this.push(EventType.OrchestratorCompleted);
  }
}

export interface ReplayResult {
  isDone: boolean;
  output?: unknown;
  error?: string;
  /** Every action the orchestrator has taken so far, compound actions flattened, in order. */
  actions: WireAction[];
  customStatus?: unknown;
}

const DAY = 24 * 60 * 60 * 1000;

/** Replays `fn` over `history` through durable-functions 3's executor, as the extension calls it. */
export async function replay(
  fn: OrchestrationHandler,
  history: WireEvent[],
  input: unknown,
  instanceId = 'conformance',
): Promise<ReplayResult> {
  const trigger = {
    history: history.map((e) => ({ ...e })),
    input,
    instanceId,
    isReplaying: false,
    parentInstanceId: '',
    upperSchemaVersion: 2,
    upperSchemaVersionNew: 2,
    maximumShortTimerDuration: '6.00:00:00',
    longRunningTimerIntervalDuration: '3.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
  const context = {
    log: () => {},
    warn: () => {},
    error: () => {},
    trace: () => {},
    debug: () => {},
    info: () => {},
  };
  let state: {
    isDone: boolean;
    output?: unknown;
    error?: string;
    actions: WireAction[][];
    customStatus?: unknown;
  };
  try {
    state = (await new Orchestrator(fn).handle(trigger, context)) as typeof state;
  } catch (err) {
    // durable-functions reports an orchestrator's exception with its state attached.
    const message = err instanceof Error ? err.message : String(err);
    const data = message.split('\n\n$OutOfProcData$:')[1];
    if (!data) throw err;
    state = JSON.parse(data) as typeof state;
  }
  const flat: WireAction[] = [];
  const walk = (a: WireAction) => (a.compoundActions ? a.compoundActions.forEach(walk) : flat.push(a));
  (state.actions ?? []).forEach((group) => group.forEach(walk));
  return {
    isDone: state.isDone,
    output: state.output,
    error: state.error,
    actions: flat,
    customStatus: state.customStatus,
  };
}

export const days = (n: number) => n * DAY;
