import type { Classification } from '../../domain/classification';
import { classifyTicket } from '../../domain/classification';
import { acknowledgementMail } from '../../domain/messages';
import type { EmailSender } from '../../ports/emailSender';
import { TicketNotFoundError, type TicketStore } from '../../ports/ticketStore';

export interface TicketStepInput {
  ticketId: string;
  /** Orchestration time of the step, so timelines follow the orchestration's clock. */
  at: string;
}

export interface TicketActivityDeps {
  tickets: TicketStore;
  mail: EmailSender;
}

/**
 * The ticket activities. Each runs at least once, so each is idempotent: mails carry a key per
 * (ticket, step), timeline entries are unique per step, and updates set absolute values.
 */
export function createTicketActivities(deps: TicketActivityDeps) {
  const load = async (ticketId: string) => {
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket) throw new TicketNotFoundError(ticketId);
    return ticket;
  };

  return {
    async acknowledge(input: TicketStepInput): Promise<{ sent: boolean }> {
      const ticket = await load(input.ticketId);
      const result = await deps.mail.send({
        ...acknowledgementMail(ticket),
        idempotencyKey: `${ticket.ticketId}.ack`,
      });
      await deps.tickets.appendTimeline(ticket, {
        step: 'acknowledged',
        at: input.at,
        stage: 'received',
        note: `Acknowledged to the requester with reference ${ticket.ticketId}`,
      });
      return { sent: !result.duplicate };
    },

    async classify(input: TicketStepInput): Promise<Classification> {
      const ticket = await load(input.ticketId);
      const result = classifyTicket(ticket.subject, ticket.body);
      await deps.tickets.update(
        ticket.ticketId,
        () => ({
          stage: 'classified',
          category: result.category,
          priority: result.priority,
          confidence: result.confidence,
          route: result.route,
          tier: result.tier,
          reasons: result.reasons,
        }),
        new Date(input.at),
      );
      await deps.tickets.appendTimeline(ticket, {
        step: 'classified',
        at: input.at,
        stage: 'classified',
        note: `Classified as ${result.category} (${result.priority}, confidence ${result.confidence.toFixed(2)}), route ${result.route}`,
      });
      return result;
    },
  };
}
