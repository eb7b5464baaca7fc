import type { Classification } from '../../domain/classification';
import { acknowledge } from './acknowledge';
import { classify } from './classify';
import type { ActivityKit, TicketContext, TicketStepInput } from './kit';

/**
 * A ticket the intake already acknowledged, recorded as acknowledged and classified in one
 * activity (workflow version 2): the same records `acknowledge` and `classify` write, one activity
 * round trip (work item, result, episode) fewer than the two. Nothing is sent here, so a retry
 * costs no mail, and each record is keyed by ticket and step, so a retry writes none twice.
 */
export const triage = (kit: ActivityKit) => {
  const acknowledged = acknowledge(kit);
  const classified = classify(kit);
  return async (
    input: TicketStepInput & { acknowledgedAt: string },
  ): Promise<{ context: TicketContext; classification: Classification }> => {
    const { context } = await acknowledged(input);
    const classification = await classified({ ticketId: input.ticketId, at: input.at });
    return { context, classification };
  };
};
