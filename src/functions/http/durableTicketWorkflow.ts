import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

import { TICKET_EVENT, type TicketEvent } from '../../domain/lifecycle';
import { orchestrationInstanceId } from '../../domain/ticket';
import type { RaiseResult, TicketWorkflow, TicketWorkflowInput } from '../../ports/ticketWorkflow';
import { Orchestrations } from '../names';

/** The durable client input binding every function that starts or reads orchestrations declares. */
export const durableClientInput = df.input.durableClient();

const FINISHED = new Set<string>([
  df.OrchestrationRuntimeStatus.Completed,
  df.OrchestrationRuntimeStatus.Failed,
  df.OrchestrationRuntimeStatus.Terminated,
]);

const isNotFound = (err: unknown) => err instanceof Error && /\b404\b/.test(err.message);

export function durableTicketWorkflow(context: InvocationContext): TicketWorkflow {
  const client = df.getClient(context);
  const status = async (ticketId: string) => {
    try {
      return await client.getStatus(orchestrationInstanceId(ticketId));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  return {
    async ensureStarted(input: TicketWorkflowInput) {
      const instanceId = orchestrationInstanceId(input.ticketId);
      if (await status(input.ticketId)) return { started: false };
      try {
        await client.startNew(Orchestrations.ticket, { instanceId, input });
      } catch (err) {
        // Two deliveries of one ticket raced: the other started it. Starting is idempotent.
        if (err instanceof Error && /\b409\b|already exists/i.test(err.message)) return { started: false };
        throw err;
      }
      return { started: true };
    },
    async customStatus(ticketId: string) {
      return (await status(ticketId))?.customStatus;
    },
    async raise(ticketId: string, event: TicketEvent): Promise<RaiseResult> {
      // The extension answers 410 to an event for a finished instance and durable-functions takes
      // that as delivered, so look first. (An instance that ends between the look and the raise
      // loses the event: its reopen window closed in that same instant.)
      const found = await status(ticketId);
      if (!found) return 'none';
      if (FINISHED.has(found.runtimeStatus)) return 'finished';
      try {
        await client.raiseEvent(orchestrationInstanceId(ticketId), TICKET_EVENT, event);
        return 'delivered';
      } catch (err) {
        if (err instanceof Error && /No instance with ID/.test(err.message)) return 'none';
        throw err;
      }
    },
  };
}
