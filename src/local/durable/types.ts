export type RuntimeStatus = 'Pending' | 'Running' | 'Suspended' | 'Completed' | 'Failed' | 'Terminated';

export const TERMINAL: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated']);

/** durable-functions' HistoryEventType numbers. */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

/** durable-functions' ActionType numbers. */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
} as const;

export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [key: string]: unknown;
}

export interface RetryOptionsWire {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
}

export interface ActionWire {
  actionType: number;
  functionName?: string;
  input?: unknown;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  retryOptions?: RetryOptionsWire;
  compoundActions?: ActionWire[];
}

export interface FailureDetailsWire {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace?: string;
}

/** What reaches an orchestration through its control queue. One event per episode. */
export type ControlEvent =
  | { type: 'ExecutionStarted'; name: string; input: string }
  | { type: 'TaskCompleted'; taskId: number; result: string }
  | { type: 'TaskFailed'; taskId: number; failure: FailureDetailsWire }
  | { type: 'TimerFired'; timerId: number; fireAt: string }
  | { type: 'EventRaised'; name: string; input: string }
  | { type: 'Terminate'; reason: string }
  | { type: 'Suspend'; reason: string }
  | { type: 'Resume'; reason: string };

export interface ControlMessage {
  messageId: string;
  instanceId: string;
  /** Events addressed to an earlier execution (before continue-as-new) are dropped. */
  executionId?: string;
  event: ControlEvent;
}

export interface WorkItem {
  instanceId: string;
  executionId: string;
  taskId: number;
  name: string;
  input: string;
}

export interface TimerRow {
  instanceId: string;
  executionId: string;
  timerId: number;
  fireAt: number;
}

/** Host-side bookkeeping for a sequence id the orchestrator is waiting on. */
export type PendingTask =
  | {
      kind: 'activity';
      actionIndex: number;
      name: string;
      input: string;
      retry?: { options: RetryOptionsWire; attempt: number };
    }
  | {
      kind: 'retryTimer';
      actionIndex: number;
      name: string;
      input: string;
      retry: { options: RetryOptionsWire; attempt: number };
      fireAt: number;
    }
  | {
      kind: 'timer';
      actionIndex: number;
      finalFireAt: number;
      fireAt: number;
      /** Over the provider's maximum delay: runs as hops, the way the extension schedules them. */
      long?: boolean;
      /** Which hop this is (1 for the first). */
      hop?: number;
      /** Cancelled by the orchestrator: it still fires into the history, as on Azure, but hops no further. */
      cancelled?: boolean;
    };

export type OutboxItem =
  | { kind: 'work'; item: WorkItem }
  | { kind: 'timer'; timer: TimerRow }
  | { kind: 'cancelTimer'; timer: TimerRow }
  | { kind: 'control'; message: ControlMessage };

export interface InstanceState {
  instanceId: string;
  name: string;
  executionId: string;
  runtimeStatus: RuntimeStatus;
  input: string;
  output: string;
  customStatus: string;
  createdTime: string;
  lastUpdatedTime: string;
  /** Next sequence id, allocated in the same order durable-functions allocates task ids. */
  nextSeq: number;
  historyCount: number;
  /** Signatures of the actions seen so far, by index, for the non-determinism check. */
  actions: { type: number; name?: string }[];
  pending: Record<string, PendingTask>;
  processed: string[];
  outbox: OutboxItem[];
  /**
   * Set when the orchestrator did something the extension cannot replay (cancelling a long timer
   * after its first hop): the next episode fails the instance, as the extension's replay would.
   */
  nonDeterminism?: string;
  /** Messages that arrived while the instance was suspended, handled after it resumes. */
  held?: ControlMessage[];
}
