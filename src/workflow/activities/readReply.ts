import type { ReplyAnswer } from '../../domain/assistant';
import { stripQuoted } from '../../domain/quotedHistory';
import { peopleOf } from './classify';
import type { ActivityKit, TicketStepInput } from './kit';

/**
 * A reply autotier's own rules could not read, read by the assistant: yes, no, unclear or a new
 * problem. A new problem becomes a ticket of its own, linked both ways, started from a queue (its
 * creation is idempotent on this ticket and step, so a retried step files one ticket). Without an
 * answer the reply stays unclear, as the rules left it.
 */
export const readReply =
  ({ deps, load, note }: ActivityKit) =>
  async (
    input: TicketStepInput & { step: string; from: string; text: string; question: string },
  ): Promise<{ answer: ReplyAnswer; followUpTicketId?: string }> => {
    if (!deps.assistant) return { answer: 'unclear' };
    const ticket = await load(input.ticketId);
    const reply = stripQuoted(input.text).slice(0, 2000);
    const said = await deps.assistant.ask({
      use: 'reply',
      clientId: ticket.clientId,
      key: `${ticket.ticketId}.${input.step}`,
      input: { subject: ticket.subject, question: input.question, reply },
      people: { ...peopleOf(ticket), addresses: [...peopleOf(ticket).addresses, input.from] },
    });
    const answer = said?.answer ?? 'unclear';
    if (answer !== 'new_issue' || !deps.startTicket) {
      if (said)
        await note(
          ticket,
          input.step,
          input.at,
          undefined,
          `The language model read the reply as: ${answer}`,
        );
      return { answer: answer === 'new_issue' ? 'unclear' : answer };
    }
    const { ticket: followUp } = await deps.tickets.create(
      {
        clientId: ticket.clientId,
        requester: { ...ticket.requester, email: input.from.trim().toLowerCase() },
        subject: `New issue raised on ${ticket.ticketId}: ${ticket.subject}`.slice(0, 250),
        body: reply || input.text.slice(0, 20_000),
        externalId: `reply:${ticket.ticketId}:${input.step}`,
        channel: ticket.channel,
        followUpOf: ticket.ticketId,
      },
      new Date(input.at),
    );
    await deps.startTicket({ ticketId: followUp.ticketId, clientId: followUp.clientId });
    await deps.tickets.update(
      ticket.ticketId,
      (t) => ({ followUps: [...new Set([...(t.followUps ?? []), followUp.ticketId])] }),
      new Date(input.at),
    );
    await note(
      ticket,
      input.step,
      input.at,
      undefined,
      `The language model read the reply as a new issue: it became ${followUp.ticketId}`,
    );
    return { answer, followUpTicketId: followUp.ticketId };
  };
