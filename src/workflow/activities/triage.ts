import type { Classification } from '../../domain/classification';
import { acknowledgeTicketAndProfile } from './acknowledge';
import { classifyTicketAndProfile } from './classify';
import type { ActivityKit, TicketContext, TicketStepInput } from './kit';

/**
 * A ticket the intake already acknowledged, recorded as acknowledged and classified in one
 * activity (workflow version 2): the same records `acknowledge` and `classify` write, one activity
 * round trip (work item, result, episode) fewer than the two, and one load of the ticket and its
 * client's profile for both (recording the acknowledgement changes neither the ticket's row nor the
 * profile). Nothing is sent here, so a retry costs no mail, and each record is keyed by ticket and
 * step, so a retry writes none twice.
 */
export const triage = (kit: ActivityKit) => {
  const acknowledged = acknowledgeTicketAndProfile(kit);
  const classified = classifyTicketAndProfile(kit);
  return async (
    input: TicketStepInput & { acknowledgedAt: string },
  ): Promise<{ context: TicketContext; classification: Classification }> => {
    const ticket = await kit.load(input.ticketId);
    const profile = await kit.client(ticket.clientId);
    const { context } = await acknowledged(ticket, profile, input);
    const classification = await classified(ticket, profile, { ticketId: input.ticketId, at: input.at });
    return { context, classification };
  };
};
