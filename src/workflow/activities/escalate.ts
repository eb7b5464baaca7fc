import { buildEscalationPackage, type RequesterAnswer, type SimilarTicket } from '../../domain/escalation';
import { similarTickets } from '../../domain/similar';
import type { SlaView } from '../../domain/sla';
import { stageAfter } from '../../domain/stage';
import type { Ticket } from '../../domain/ticket';
import type { ActivityKit, TicketStepInput } from './kit';

const SIMILAR_LIMIT = 3;
/** Similar tickets come from the client's latest solved tickets: one bounded read per escalation. */
const SIMILAR_POOL = 500;

/** Hands the ticket to a person: the full package on the ticket, the PSA, the tier's queue. */
export const escalate = (kit: ActivityKit) => {
  const { deps, load, client, note, event, countOutcome } = kit;
  return async (
    input: TicketStepInput & {
      step: string;
      tier: number;
      reason: string;
      answer: RequesterAnswer;
      sla: SlaView;
    },
  ): Promise<void> => {
    const ticket = await load(input.ticketId);
    if (input.answer === 'no' || input.answer === 'silence') await countOutcome(ticket, false, input.step);
    const pkg = buildEscalationPackage({
      ticket,
      timeline: await deps.tickets.timeline(ticket),
      conversation: [
        { at: ticket.createdAt, from: ticket.requester.email, text: ticket.body },
        ...(await deps.tickets.conversation(ticket)),
      ],
      client: await client(ticket.clientId),
      similar: await similarTo(kit, ticket),
      tier: input.tier,
      reason: input.reason,
      attempted: ticket.attempted ?? null,
      answer: input.answer,
      resolutionDue: input.sla.resolutionDue,
      at: input.at,
    });
    await deps.tickets.update(
      ticket.ticketId,
      () => ({
        stage: stageAfter(ticket.stage, 'escalated'),
        tier: input.tier,
        escalation: pkg,
        sla: input.sla,
      }),
      new Date(input.at),
    );
    await deps.psa.escalate(pkg, input.step);
    await deps.resolutions.record({
      ticketId: ticket.ticketId,
      clientId: ticket.clientId,
      category: ticket.category ?? 'engineering',
      outcome: 'escalated',
      subject: ticket.subject,
      summary: input.reason,
      at: input.at,
    });
    await deps.notifier.notify({
      key: input.step,
      ticketId: ticket.ticketId,
      clientId: ticket.clientId,
      tier: input.tier,
      kind: 'escalation',
      message: `${ticket.priority ?? 'P3'} ${ticket.category ?? 'engineering'}: ${ticket.subject} (${input.reason})`,
      at: input.at,
    });
    await note(
      ticket,
      input.step,
      input.at,
      stageAfter(ticket.stage, 'escalated'),
      `Escalated to tier ${input.tier}: ${input.reason}`,
    );
    await deps.outcomes.record(
      ...(input.answer !== 'none' && input.answer !== 'yes'
        ? [event(ticket, `answer-${input.step}`, input.at, { kind: 'answered', answer: input.answer })]
        : []),
      event(
        ticket,
        input.step,
        input.at,
        { kind: 'escalated', tier: input.tier, reason: input.reason, cycle: ticket.reopens ?? 0 },
        input.sla,
      ),
    );
  };
};

async function similarTo({ deps }: ActivityKit, ticket: Ticket): Promise<SimilarTicket[]> {
  const solved = (await deps.resolutions.recentSolved(ticket.clientId, SIMILAR_POOL)).filter(
    (r) => r.ticketId !== ticket.ticketId,
  );
  return similarTickets(`${ticket.subject} ${ticket.body}`, ticket.category, solved, SIMILAR_LIMIT);
}
