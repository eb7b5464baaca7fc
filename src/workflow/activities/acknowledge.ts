import { p1SettingsFor } from '../../domain/aroundTheClock';
import { lifecycleFor } from '../../domain/lifecycle';
import * as messages from '../../domain/messages';
import { stageAfter } from '../../domain/stage';
import type { ActivityKit, TicketContext, TicketStepInput } from './kit';

/** The first response. Returns what the orchestration needs to know about the client. */
export const acknowledge =
  ({ deps, load, client, send, note, event }: ActivityKit) =>
  async (input: TicketStepInput): Promise<{ sent: boolean; context: TicketContext }> => {
    const ticket = await load(input.ticketId);
    const profile = await client(ticket.clientId);
    const result = await send(ticket, 'ack', messages.acknowledgementMail(ticket));
    await note(
      ticket,
      'acknowledged',
      input.at,
      stageAfter(ticket.stage, 'acknowledged'),
      `Acknowledged to the requester with reference ${ticket.ticketId}`,
    );
    await deps.outcomes.record(
      event(ticket, 'received', ticket.createdAt, { kind: 'received', channel: ticket.channel }),
      event(ticket, 'acknowledged', input.at, { kind: 'acknowledged' }),
    );
    return {
      sent: !result.duplicate,
      context: {
        clientId: profile.clientId,
        slaTier: profile.slaTier,
        businessHours: profile.businessHours,
        lifecycle: lifecycleFor(profile.lifecycle),
        p1: p1SettingsFor(profile.p1),
        autoThreshold: profile.autoThreshold,
        ...(deps.assistant ? { assistant: true as const } : {}),
      },
    };
  };
