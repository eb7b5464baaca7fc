/**
 * How the local engine talks to durable-functions and to activity functions: the wire shapes, the
 * replay call, an activity's run, and the small conversions between them.
 */
import type { Logger } from '../invoke';
import { fromTypedData, invokeFunction } from '../invoke';
import type { FunctionRegistry } from '../registry';
import {
  ActionType,
  type ActionWire,
  type ControlEvent,
  type FailureDetailsWire,
  type HistoryEvent,
  type InstanceState,
  type RetryOptionsWire,
  type WorkItem,
} from './types';

export const DAY = 24 * 60 * 60 * 1000;
/** durable-functions appends its state to an orchestrator's error message after this label. */
export const OUT_OF_PROC_LABEL = '\n\n$OutOfProcData$:';
const REPLAY_SCHEMA_V3 = 2;

/** Same split the Azure Storage provider uses: timers over 6 days run as 3-day hops. */
export interface TimerSettings {
  maxShortTimerMs: number;
  longTimerIntervalMs: number;
}

export interface OrchestratorStateWire {
  isDone: boolean;
  actions: ActionWire[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

export class EngineError extends Error {}

/**
 * One replay: hands the orchestrator function its history, exactly as the Durable extension does,
 * and returns the actions it decided on.
 */
export async function replayOrchestrator(
  registry: FunctionRegistry,
  log: Logger,
  timers: TimerSettings,
  state: InstanceState,
  history: HistoryEvent[],
): Promise<OrchestratorStateWire> {
  const fn = registry.get(state.name);
  if (!fn) throw new EngineError(`orchestrator function "${state.name}" is not registered`);
  const binding = {
    history,
    input: JSON.parse(state.input) as unknown,
    instanceId: state.instanceId,
    isReplaying: false,
    parentInstanceId: '',
    upperSchemaVersion: REPLAY_SCHEMA_V3,
    upperSchemaVersionNew: REPLAY_SCHEMA_V3,
    maximumShortTimerDuration: timeSpan(timers.maxShortTimerMs),
    longRunningTimerIntervalDuration: timeSpan(timers.longTimerIntervalMs),
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
  const response = await invokeFunction(
    registry,
    fn,
    [{ name: fn.triggerName, data: { string: JSON.stringify(binding) } }],
    log,
  );
  return fromTypedData(response.returnValue) as OrchestratorStateWire;
}

/** Runs one activity: what it returned, or how it failed, as the event for its orchestration. */
export async function runActivity(
  registry: FunctionRegistry,
  log: Logger,
  item: WorkItem,
): Promise<ControlEvent> {
  const fn = registry.get(item.name);
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
        registry,
        fn,
        [{ name: fn.triggerName, data: { json: item.input } }],
        log,
      );
      const result = fromTypedData(response.returnValue);
      event = { type: 'TaskCompleted', taskId: item.taskId, result: JSON.stringify(result ?? null) };
    } catch (err) {
      event = { type: 'TaskFailed', taskId: item.taskId, failure: failureOf(err) };
      log(
        'warning',
        `activity ${item.name} failed for ${item.instanceId}: ${event.failure.ErrorMessage.split('\n')[0] ?? ''}`,
      );
    }
  }
  return event;
}

export function historyEvent(type: number, timestamp: string, eventId = -1): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: timestamp };
}

export function flatten(actions: ActionWire[][] | undefined): ActionWire[] {
  const out: ActionWire[] = [];
  const walk = (a: ActionWire) => {
    if (a.actionType === ActionType.WhenAll || a.actionType === ActionType.WhenAny)
      (a.compoundActions ?? []).forEach(walk);
    else out.push(a);
  };
  for (const group of actions ?? []) group.forEach(walk);
  return out;
}

export function actionName(action: ActionWire): string | undefined {
  return action.functionName ?? action.externalEventName;
}

export function describeAction(type: number, name: string | undefined): string {
  const typeName = Object.entries(ActionType).find(([, v]) => v === type)?.[0] ?? `action type ${type}`;
  return name ? `${typeName}("${name}")` : typeName;
}

/**
 * durable-functions already JSON-encodes string inputs (`Utils.processInput`), and the extension
 * passes them on as they are; other values arrive as objects and are encoded here.
 */
export function wireInput(input: unknown): string {
  return typeof input === 'string' ? input : JSON.stringify(input ?? null);
}

export function retryDelay(options: RetryOptionsWire, attempt: number): number {
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
export function timeSpan(ms: number): string {
  const days = Math.floor(ms / DAY);
  const rest = new Date(ms % DAY).toISOString().slice(11, 19);
  return `${days}.${rest}`;
}

export function failureOf(err: unknown): FailureDetailsWire {
  if (err instanceof Error) return { ErrorType: err.name, ErrorMessage: err.message, StackTrace: err.stack };
  return { ErrorType: 'Error', ErrorMessage: String(err) };
}
