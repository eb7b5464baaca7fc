import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import * as df from 'durable-functions';

import type { Classification } from '../../domain/classification';
import type { TicketWorkflowInput } from '../../ports/ticketWorkflow';
import { Activities, Orchestrations } from '../names';

export interface TicketStatus {
  stage: string;
  category?: string;
  nextDeadline?: string;
}

/**
 * One orchestration per ticket. Deterministic: time only from the durable context, every side
 * effect in an activity. The full lifecycle (resolve, confirm, escalate, SLA) builds on this.
 */
export const ticketOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<TicketWorkflowInput>();
  const at = () => context.df.currentUtcDateTime.toISOString();
  context.df.setCustomStatus({ stage: 'received' } satisfies TicketStatus);

  yield context.df.callActivity(Activities.acknowledge, { ticketId: input.ticketId, at: at() });

  const classification = (yield context.df.callActivity(Activities.classify, {
    ticketId: input.ticketId,
    at: at(),
  })) as Classification;
  context.df.setCustomStatus({
    stage: 'classified',
    category: classification.category,
  } satisfies TicketStatus);
  return classification;
};

df.app.orchestration(Orchestrations.ticket, ticketOrchestrator);
