import { app, type InvocationContext } from '@azure/functions';

import { ticketStartQueue } from '../../adapters/openai/assistantFromConfig';
import { readConfig } from '../../config';
import { isTicketId } from '../../domain/ticket';
import type { TicketWorkflow, TicketWorkflowInput } from '../../ports/ticketWorkflow';
import { durableClientInput, durableTicketWorkflow } from '../http/durableTicketWorkflow';

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

// Only with the assistant configured does anything fill this queue.
const config = readConfig();
if (config.openai)
  app.storageQueue('startTicket', {
    queueName: ticketStartQueue(config.intakeQueue),
    connection: 'AzureWebJobsStorage',
    extraInputs: [durableClientInput],
    handler: startTicketHandler(durableTicketWorkflow),
  });
