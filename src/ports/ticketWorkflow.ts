import type { TicketEvent } from '../domain/lifecycle';

export interface TicketWorkflowInput {
  ticketId: string;
  clientId: string;
  /** When the intake already sent the acknowledgement (see `acknowledgeAtOnce`). */
  acknowledgedAt?: string;
  /**
   * Which sequence of steps the instance follows, fixed when it starts (the starter stamps
   * `TICKET_WORKFLOW_VERSION`): an instance started before a change of steps replays the steps it
   * began with. Absent: version 1.
   */
  version?: number;
}

export type RaiseResult = 'delivered' | 'finished' | 'none';

/** Starts and inspects the per-ticket orchestration; bound to one invocation's durable client. */
export interface TicketWorkflow {
  /**
   * Starts the orchestration unless an instance already exists for this ticket. `newTicket`: the
   * ticket was created just now, so no instance can exist for it and none is looked for first (a
   * start that races another still ends as not started).
   */
  ensureStarted(input: TicketWorkflowInput, options?: { newTicket?: boolean }): Promise<{ started: boolean }>;
  customStatus(ticketId: string): Promise<unknown>;
  /**
   * Delivers an event to the ticket's orchestration: `delivered`, `finished` when the
   * orchestration has ended (completed after its reopen window, failed or terminated), or `none`
   * when the ticket has none.
   */
  raise(ticketId: string, event: TicketEvent): Promise<RaiseResult>;
}

/** Durable's runtime statuses (`OrchestrationRuntimeStatus`), as the ops page filters them. */
export type WorkflowRuntimeStatus =
  'Pending' | 'Running' | 'Suspended' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Terminated';

export interface WorkflowQuery {
  /** Instances created at or after this instant. */
  createdFrom?: Date;
  runtimeStatus?: WorkflowRuntimeStatus[];
}

/** A ticket's orchestration as the instance query reports it. */
export interface WorkflowSummary {
  ticketId: string;
  runtimeStatus: WorkflowRuntimeStatus;
  createdTime: string;
  lastUpdatedTime: string;
  /** The orchestrator's custom status (`TicketStatus`: stage, phase, next deadline and what it is). */
  customStatus: unknown;
}

/** One step of an orchestration's history, as the status API shows it. */
export interface WorkflowHistoryEvent {
  type: string;
  at: string;
  /** The activity, timer or event it concerns, when there is one. */
  name?: string;
  /** When a timer fires, or why a task or the orchestration failed. */
  detail?: string;
}

export interface WorkflowDetails extends WorkflowSummary {
  /** The orchestration's result: for a failed one, what failed. */
  output: unknown;
  history: WorkflowHistoryEvent[];
}

/** Reads ticket orchestrations for people (the ops page); bound to one invocation's durable client. */
export interface WorkflowMonitor {
  /** One instance query for many tickets; instances that are not ticket workflows are left out. */
  list(query: WorkflowQuery): Promise<WorkflowSummary[]>;
  details(ticketId: string): Promise<WorkflowDetails | undefined>;
}
