import { app, type InvocationContext } from '@azure/functions';

import { type IntakeMessage, parseGenericEvent } from '../../domain/webhookIntake';
import { services } from '../../index';
import type { ReviewStore } from '../../ports/reviewStore';
import type { TicketStore } from '../../ports/ticketStore';
import type { TicketWorkflow } from '../../ports/ticketWorkflow';
import { durableClientInput, durableTicketWorkflow } from '../http/durableTicketWorkflow';

export interface ProcessIntakeDeps {
  tickets: TicketStore;
  workflow: (context: InvocationContext) => TicketWorkflow;
  review: ReviewStore;
  now: () => Date;
}

/**
 * Turns an accepted delivery into a ticket, once: creation is idempotent on (client, event id).
 * A delivery that cannot be placed is kept for review; storage errors throw, so the queue retries
 * and, after five tries, parks the message in the poison queue.
 */
export function processIntakeHandler(deps: ProcessIntakeDeps) {
  return async function processIntake(message: unknown, context: InvocationContext): Promise<void> {
    const m = message as Partial<IntakeMessage>;
    const raw = typeof m?.raw === 'string' ? m.raw : JSON.stringify(message);
    const receivedAt = typeof m?.receivedAt === 'string' ? m.receivedAt : deps.now().toISOString();
    let parsed;
    try {
      parsed =
        m?.source === 'generic'
          ? parseGenericEvent(JSON.parse(raw))
          : { ok: false as const, error: `unknown source "${String(m?.source)}"` };
    } catch {
      parsed = { ok: false as const, error: 'payload is not valid JSON' };
    }
    if (!parsed.ok) {
      await deps.review.keep({
        source: typeof m?.source === 'string' ? m.source : 'unknown',
        reason: parsed.error,
        raw,
        receivedAt,
      });
      context.warn(`intake: a delivery could not be placed and was kept for review (${parsed.error})`);
      return;
    }
    const { eventId: _eventId, ...ticket } = parsed.value;
    const { ticket: created } = await deps.tickets.create(ticket, deps.now());
    await deps.workflow(context).ensureStarted({ ticketId: created.ticketId, clientId: created.clientId });
  };
}

app.storageQueue('processIntake', {
  queueName: '%AUTOTIER_INTAKE_QUEUE%',
  connection: 'AzureWebJobsStorage',
  extraInputs: [durableClientInput],
  handler: async (message, context) => {
    const s = await services();
    await processIntakeHandler({
      tickets: s.tickets,
      workflow: durableTicketWorkflow,
      review: s.review,
      now: s.now,
    })(message, context);
  },
});
