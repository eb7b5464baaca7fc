import type { OutcomeFact } from '../../domain/metrics';
import type { SlaView } from '../../domain/sla';
import type { Stage } from '../../domain/ticket';
import type { ActivityKit, TicketStepInput } from './kit';

/** Steps of `updateTicket` that are outcomes the metrics count. */
export type UpdateOutcome = 'plan' | 'handed_up' | 'sla_warning' | 'sla_breach' | 'reopened' | 'closed';

/** A step on the ticket: absolute values, a timeline note, maybe a PSA note and an outcome. */
export const updateTicket =
  ({ deps, load, outcome }: ActivityKit) =>
  async (
    input: TicketStepInput & {
      step: string;
      note: string;
      stage?: Stage;
      tier?: number;
      sla?: SlaView;
      reopens?: number;
      /** Also written to the PSA as an internal note. */
      psaNote?: string;
      /** The outcome this step is, for the metrics. */
      outcome?: UpdateOutcome;
    },
  ): Promise<void> => {
    const ticket = await load(input.ticketId);
    await deps.tickets.update(
      ticket.ticketId,
      () => ({
        ...(input.stage ? { stage: input.stage } : {}),
        ...(input.tier ? { tier: input.tier } : {}),
        ...(input.sla ? { sla: input.sla } : {}),
        ...(input.reopens !== undefined ? { reopens: input.reopens } : {}),
      }),
      new Date(input.at),
      { step: input.step, at: input.at, stage: input.stage, note: input.note }, // in the same write
    );
    if (input.psaNote) await deps.psa.addNote(ticket.ticketId, input.psaNote, input.step);
    // A reopened ticket's fix did not hold: it is never offered as "how it was solved".
    if (input.reopens) await deps.resolutions.markReopened(ticket.ticketId, ticket.clientId, input.at);
    if (input.outcome) {
      const tier = input.tier ?? ticket.tier ?? 1;
      const facts: Record<UpdateOutcome, OutcomeFact> = {
        plan: { kind: 'plan', tier },
        handed_up: { kind: 'handed_up', tier },
        sla_warning: { kind: 'sla_warning' },
        sla_breach: { kind: 'sla_breach' },
        reopened: { kind: 'reopened', reopens: input.reopens ?? (ticket.reopens ?? 0) + 1 },
        closed: { kind: 'closed' },
      };
      await outcome(ticket, input.step, input.at, facts[input.outcome], input.sla);
    }
  };
