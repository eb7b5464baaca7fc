import type { TicketEvent } from '../domain/lifecycle';

export interface TicketWorkflowInput {
  ticketId: string;
  clientId: string;
}

export type RaiseResult = 'delivered' | 'finished' | 'none';

/** Starts and inspects the per-ticket orchestration; bound to one invocation's durable client. */
export interface TicketWorkflow {
  /** Starts the orchestration unless an instance already exists for this ticket. */
  ensureStarted(input: TicketWorkflowInput): Promise<{ started: boolean }>;
  customStatus(ticketId: string): Promise<unknown>;
  /**
   * Delivers an event to the ticket's orchestration: `delivered`, `finished` when the
   * orchestration has ended (completed after its reopen window, failed or terminated), or `none`
   * when the ticket has none.
   */
  raise(ticketId: string, event: TicketEvent): Promise<RaiseResult>;
}
