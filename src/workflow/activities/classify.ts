import { applySecondOpinion, decidedByOf, secondOpinionWanted } from '../../domain/assistant';
import {
  adjustForSlaTier,
  type Classification,
  classificationSignals,
  classifyTicket,
} from '../../domain/classification';
import type { ClientProfile } from '../../domain/client';
import type { SlaView } from '../../domain/sla';
import { stageAfter } from '../../domain/stage';
import type { Ticket } from '../../domain/ticket';
import type { ActivityKit, TicketStepInput } from './kit';

type ClassifyInput = TicketStepInput & { autoThreshold?: number; sla?: SlaView };

/** What the ticket is and whether automation may touch it; VIP requesters never wait as P3/P4. */
export const classify = (kit: ActivityKit) => {
  const classifyLoaded = classifyTicketAndProfile(kit);
  return async (input: ClassifyInput): Promise<Classification> => {
    const { ticket, profile } = await kit.loadWithProfile(input.ticketId);
    return (await classifyLoaded(ticket, profile, input)).classification;
  };
};

/**
 * `classify` of a ticket and its client's profile already loaded (as `triage` has them); also
 * returns the ticket as classified (as written).
 */
export const classifyTicketAndProfile =
  ({ deps, outcome }: ActivityKit) =>
  async (
    ticket: Ticket,
    profile: ClientProfile,
    input: ClassifyInput,
  ): Promise<{ classification: Classification; ticket: Ticket }> => {
    const threshold = input.autoThreshold ?? profile.autoThreshold;
    const own = classifyTicket(ticket.subject, ticket.body, threshold, deps.classifier);
    const { classification, record } = await withSecondOpinion(deps, ticket, own, threshold);
    const result = adjustForSlaTier(classification, profile.slaTier);
    if (
      profile.vipEmails.includes(ticket.requester.email) &&
      (result.priority === 'P3' || result.priority === 'P4')
    ) {
      result.priority = 'P2';
      result.reasons.push('VIP requester');
    }
    // The ticket with its timeline entry (one write), and the metrics, at once: each is keyed or absolute.
    const [classified] = await Promise.all([
      deps.tickets.update(
        ticket.ticketId,
        () => ({
          stage: stageAfter(ticket.stage, 'classified'),
          category: result.category,
          priority: result.priority,
          confidence: result.confidence,
          route: result.route,
          tier: result.tier,
          reasons: result.reasons,
          classification: record,
          ...(input.sla ? { sla: input.sla } : {}),
        }),
        new Date(input.at),
        {
          step: 'classified',
          at: input.at,
          stage: stageAfter(ticket.stage, 'classified'),
          note: `Classified as ${result.category} (${result.priority}, confidence ${result.confidence.toFixed(2)}), route ${result.route}${record.decidedBy === 'llm' ? ' on a second opinion from the language model' : ''}`,
        },
      ),
      outcome(ticket, 'classified', input.at, {
        kind: 'classified',
        category: result.category,
        priority: result.priority,
        tier: result.tier,
        route: result.route,
      }),
    ]);
    return { classification: result, ticket: classified };
  };

/**
 * The assistant's second opinion on an unsure ticket (below the threshold, or model and rules
 * disagree), when one is configured. The safety screen's tickets are never asked about, and
 * `applySecondOpinion` keeps them as the screen left them whatever an answer says.
 */
async function withSecondOpinion(
  deps: ActivityKit['deps'],
  ticket: Ticket,
  own: Classification,
  threshold: number,
) {
  const signals = classificationSignals(ticket.subject, ticket.body, deps.classifier);
  const why = deps.assistant ? secondOpinionWanted(own, signals, threshold) : undefined;
  if (!deps.assistant || !why)
    return { classification: own, record: { decidedBy: decidedByOf(signals), reasons: own.reasons } };
  const answer = await deps.assistant.ask({
    use: 'triage',
    clientId: ticket.clientId,
    key: `${ticket.ticketId}.classify`,
    input: { subject: ticket.subject, body: ticket.body },
    people: peopleOf(ticket),
  });
  return applySecondOpinion(own, signals, answer, threshold, why);
}

/** Who must not be named to the model: the requester and the thread's participants. */
export function peopleOf(ticket: Ticket): { addresses: string[]; names: string[] } {
  return {
    addresses: [ticket.requester.email, ...(ticket.participants ?? [])],
    names: ticket.requester.name ? [ticket.requester.name] : [],
  };
}
