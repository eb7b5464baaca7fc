import type { SlaView } from '../../domain/sla';
import { stageAfter } from '../../domain/stage';
import type { Resolution } from '../../domain/ticket';
import type { Outcome } from '../../ports/resolutionLog';
import type { ActivityKit, TicketStepInput } from './kit';

/** What the requester's answer was, as a resolution outcome tells it. */
const ANSWERED: Partial<Record<Outcome, 'yes' | 'silence'>> = {
  resolved_confirmed: 'yes',
  resolved_unconfirmed: 'silence',
};

/** Who a resolution outcome says resolved the ticket. */
const RESOLVED_BY: Partial<Record<Outcome, Resolution['by']>> = {
  resolved_confirmed: 'requester',
  resolved_by_engineer: 'engineer',
  resolved_unconfirmed: 'silence',
};

/** The ticket's resolution: on the ticket, the resolution log, the PSA and the metrics. */
export const recordOutcome =
  ({ deps, load, event, countOutcome }: ActivityKit) =>
  async (
    input: TicketStepInput & {
      step: string;
      outcome: Outcome;
      summary: string;
      /** The engineer's internal note: on the ticket, the timeline and the PSA, never mailed. */
      note?: string;
      articleId?: string;
      sla: SlaView;
      /** An engineer resolved it in the PSA: nothing is written back there (their status stands). */
      inPsa?: boolean;
    },
  ): Promise<void> => {
    const ticket = await load(input.ticketId);
    // Only the requester's own yes credits the guide (and counts as deflection).
    if (input.outcome === 'resolved_confirmed') await countOutcome(ticket, true, input.step);
    const stage = stageAfter(
      ticket.stage,
      input.outcome === 'resolved_unconfirmed' ? 'closed_unconfirmed' : 'resolved',
    );
    const by = RESOLVED_BY[input.outcome];
    const resolution: Resolution | undefined = by
      ? { by, at: input.at, ...(input.note ? { note: input.note } : {}) }
      : undefined;
    const summary = input.note ? `${input.summary} ${input.note}` : input.summary;
    // The resolution and its timeline entry in one write.
    await deps.tickets.update(
      ticket.ticketId,
      () => ({ stage, sla: input.sla, ...(resolution ? { resolution } : {}) }),
      new Date(input.at),
      {
        step: input.step,
        at: input.at,
        stage,
        note: `Resolution: ${input.outcome.replace(/_/g, ' ')}. ${summary}`,
      },
    );
    await deps.resolutions.record({
      ticketId: ticket.ticketId,
      clientId: ticket.clientId,
      category: ticket.category ?? 'engineering',
      outcome: input.outcome,
      subject: ticket.subject,
      summary,
      articleId: input.articleId,
      at: input.at,
    });
    if (!input.inPsa) {
      await deps.psa.addNote(
        ticket.ticketId,
        `Resolved (${input.outcome.replace(/_/g, ' ')}): ${summary}`,
        input.step,
      );
      await deps.psa.setStatus(
        ticket.ticketId,
        stage === 'closed' ? 'closed' : 'resolved',
        `${input.step}-status`,
      );
    }
    const answered = ANSWERED[input.outcome];
    await deps.outcomes.record(
      ...(answered
        ? [event(ticket, `answer-${input.step}`, input.at, { kind: 'answered', answer: answered })]
        : []),
      ...(by
        ? [
            event(
              ticket,
              input.step,
              input.at,
              { kind: 'resolved', by, cycle: ticket.reopens ?? 0 },
              input.sla,
            ),
          ]
        : []),
    );
  };
