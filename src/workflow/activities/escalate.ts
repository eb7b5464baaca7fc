import {
  buildEscalationPackage,
  type ConversationEntry,
  type RequesterAnswer,
  type SimilarTicket,
} from '../../domain/escalation';
import { similarTickets } from '../../domain/similar';
import type { SlaView } from '../../domain/sla';
import { stageAfter } from '../../domain/stage';
import type { Ticket } from '../../domain/ticket';
import { peopleOf } from './classify';
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
    const conversation: ConversationEntry[] = [
      { at: ticket.createdAt, from: ticket.requester.email, text: ticket.body },
      ...(await deps.tickets.conversation(ticket)),
    ];
    const briefing = await briefingFor(kit, ticket, conversation, input);
    const pkg = buildEscalationPackage({
      ticket,
      timeline: await deps.tickets.timeline(ticket),
      conversation,
      ...(briefing ? { briefing } : {}),
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

/** Messages of the conversation the briefing reads: the first and the latest. */
const BRIEFING_MESSAGES = 8;

/**
 * The assistant's briefing for the engineer, when one is configured and answers. A retried step
 * (same orchestration time) keeps the briefing it already has rather than ask again.
 */
async function briefingFor(
  { deps }: ActivityKit,
  ticket: Ticket,
  conversation: ConversationEntry[],
  input: TicketStepInput & { step: string; reason: string; answer: RequesterAnswer },
): Promise<{ summary: string; steps: string[] } | undefined> {
  if (!deps.assistant) return undefined;
  const before = ticket.escalation;
  if (before?.briefing && before.createdAt === input.at)
    return { summary: before.briefing.summary, steps: before.briefing.steps };
  const messages =
    conversation.length > BRIEFING_MESSAGES
      ? [...conversation.slice(0, 1), ...conversation.slice(-(BRIEFING_MESSAGES - 1))]
      : conversation;
  const people = peopleOf(ticket);
  return deps.assistant.ask({
    use: 'briefing',
    clientId: ticket.clientId,
    key: `${ticket.ticketId}.${input.step}`,
    input: {
      subject: ticket.subject,
      body: ticket.body,
      reason: input.reason,
      attempted: ticket.attempted ?? null,
      requesterAnswer: input.answer,
      // Addresses become placeholders in `redact`, like everything else that is sent.
      conversation: messages.map((m) => ({ from: m.from, text: m.text })),
    },
    people,
  });
}

async function similarTo({ deps }: ActivityKit, ticket: Ticket): Promise<SimilarTicket[]> {
  const solved = (await deps.resolutions.recentSolved(ticket.clientId, SIMILAR_POOL)).filter(
    (r) => r.ticketId !== ticket.ticketId,
  );
  return similarTickets(`${ticket.subject} ${ticket.body}`, ticket.category, solved, SIMILAR_LIMIT);
}
