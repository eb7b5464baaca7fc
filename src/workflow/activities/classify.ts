import { adjustForSlaTier, type Classification, classifyTicket } from '../../domain/classification';
import type { SlaView } from '../../domain/sla';
import { stageAfter } from '../../domain/stage';
import type { ActivityKit, TicketStepInput } from './kit';

/** What the ticket is and whether automation may touch it; VIP requesters never wait as P3/P4. */
export const classify =
  ({ deps, load, client, note, outcome }: ActivityKit) =>
  async (input: TicketStepInput & { autoThreshold?: number; sla?: SlaView }): Promise<Classification> => {
    const ticket = await load(input.ticketId);
    const profile = await client(ticket.clientId);
    const result = adjustForSlaTier(
      classifyTicket(
        ticket.subject,
        ticket.body,
        input.autoThreshold ?? profile.autoThreshold,
        deps.classifier,
      ),
      profile.slaTier,
    );
    if (
      profile.vipEmails.includes(ticket.requester.email) &&
      (result.priority === 'P3' || result.priority === 'P4')
    ) {
      result.priority = 'P2';
      result.reasons.push('VIP requester');
    }
    await deps.tickets.update(
      ticket.ticketId,
      () => ({
        stage: stageAfter(ticket.stage, 'classified'),
        category: result.category,
        priority: result.priority,
        confidence: result.confidence,
        route: result.route,
        tier: result.tier,
        reasons: result.reasons,
        ...(input.sla ? { sla: input.sla } : {}),
      }),
      new Date(input.at),
    );
    await note(
      ticket,
      'classified',
      input.at,
      stageAfter(ticket.stage, 'classified'),
      `Classified as ${result.category} (${result.priority}, confidence ${result.confidence.toFixed(2)}), route ${result.route}`,
    );
    await outcome(ticket, 'classified', input.at, {
      kind: 'classified',
      category: result.category,
      priority: result.priority,
      tier: result.tier,
      route: result.route,
    });
    return result;
  };
