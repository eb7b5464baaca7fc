import type { TicketEvent } from '../domain/lifecycle';

export interface TicketWorkflowInput {
  ticketId: string;
  clientId: string;
}

/** Starts and inspects the per-ticket orchestration; bound to one invocation's durable client. */
export interface TicketWorkflow {
  /** Starts the orchestration unless an instance already exists for this ticket. */
  ensureStarted(input: TicketWorkflowInput): Promise<{ started: boolean }>;
  customStatus(ticketId: string): Promise<unknown>;
  /** Delivers an event to the ticket's orchestration; false when it has no orchestration. */
  raise(ticketId: string, event: TicketEvent): Promise<boolean>;
}
