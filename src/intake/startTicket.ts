import type { InvocationContext } from '@azure/functions';

import { isTicketId } from '../domain/ticket';
import type { TicketWorkflow, TicketWorkflowInput } from '../ports/ticketWorkflow';

/**
 * Starts the workflow of a ticket an activity filed (the assistant found a new issue in a reply):
 * activities have no durable client, so they queue the start. Starting is idempotent.
 */
export function startTicketHandler(workflow: (context: InvocationContext) => TicketWorkflow) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const input = message as Partial<TicketWorkflowInput> | null;
    if (
      !input ||
      typeof input.ticketId !== 'string' ||
      !isTicketId(input.ticketId) ||
      typeof input.clientId !== 'string'
    ) {
      context.warn('startTicket: not a ticket to start; dropped');
      return;
    }
    await workflow(context).ensureStarted({ ticketId: input.ticketId, clientId: input.clientId });
  };
}
