import type { ReplyMeaning } from '../../domain/lifecycle';
import type { ActivityKit, TicketStepInput } from './kit';

/** The requester's reply on the conversation and the PSA; the tier hears of it when asked to. */
export const recordReply =
  ({ deps, load, note }: ActivityKit) =>
  async (
    input: TicketStepInput & {
      step: string;
      from: string;
      text: string;
      meaning: ReplyMeaning | 'new_issue';
      tier: number;
      notify: boolean;
    },
  ): Promise<void> => {
    const ticket = await load(input.ticketId);
    await deps.tickets.appendConversation(ticket, input.step, {
      at: input.at,
      from: input.from,
      text: input.text.slice(0, 4000),
    });
    await deps.psa.addNote(ticket.ticketId, `Requester replied: ${input.text.slice(0, 4000)}`, input.step);
    if (input.notify) {
      await deps.notifier.notify({
        key: input.step,
        ticketId: ticket.ticketId,
        clientId: ticket.clientId,
        tier: input.tier,
        kind: 'requester_reply',
        message: `The requester replied on ${ticket.ticketId}`,
        at: input.at,
      });
    }
    await note(ticket, input.step, input.at, undefined, `The requester replied (read as: ${input.meaning})`);
  };
