import { AROUND_THE_CLOCK, runsAroundTheClock } from '../../domain/aroundTheClock';
import type { Classification } from '../../domain/classification';
import { pauseClock, type SlaView, slaViewOf, startClock } from '../../domain/sla';
import { acknowledgeTicketAndProfile } from './acknowledge';
import { classifyTicketAndProfile } from './classify';
import type { ActivityKit, TicketContext, TicketStepInput } from './kit';
import { type PlaybookResult, runPlaybookOn } from './runPlaybook';

export interface TriageResult {
  context: TicketContext;
  classification: Classification;
  /** Version 3: the first playbook's result, when the ticket was for automation and it ran. */
  playbook?: PlaybookResult;
  /** Version 3: the first playbook threw (the error's kind); the workflow runs `runPlaybook`. */
  playbookFailed?: string;
}

/**
 * A ticket the intake already acknowledged, recorded as acknowledged and classified in one
 * activity (workflow version 2): the same records `acknowledge` and `classify` write, one activity
 * round trip (work item, result, episode) fewer than the two, and one load of the ticket and its
 * client's profile for both (recording the acknowledgement changes neither the ticket's row nor the
 * profile; the playbook below takes the ticket as classification wrote it). Each record is keyed
 * by ticket and step, so a retry writes none twice.
 *
 * With `guide` (version 3), a ticket classified for automation also gets its first playbook here,
 * as `runPlaybook` attempt 1 would run it (the same step, mail keys and records), so the speed
 * path is one activity. If the playbook throws, triage still succeeds without its result, and the
 * workflow runs `runPlaybook` attempt 1 with the mail service's longer retries; that run finds
 * whatever this one finished (the pinned guide, the mail's idempotency key) and does not repeat it.
 * The time triage is called is when the ticket reached the workflow (`receivedAt`, as version 2's
 * workflow takes it), so the SLA view recorded with the guide is the automation phase's own.
 */
export const triage = (kit: ActivityKit) => {
  const acknowledged = acknowledgeTicketAndProfile(kit);
  const classified = classifyTicketAndProfile(kit);
  const playbook = runPlaybookOn(kit);
  return async (
    input: TicketStepInput & { acknowledgedAt: string; guide?: boolean },
  ): Promise<TriageResult> => {
    const { ticket, profile } = await kit.loadWithProfile(input.ticketId);
    const { context } = await acknowledged(ticket, profile, input);
    const { classification, ticket: asClassified } = await classified(ticket, profile, {
      ticketId: input.ticketId,
      at: input.at,
    });
    if (!input.guide || classification.route !== 'auto') return { context, classification };
    const sla = firstGuideSla(context, classification, Date.parse(input.at));
    try {
      return {
        context,
        classification,
        playbook: await playbook(asClassified, { ticketId: input.ticketId, at: input.at, attempt: 1, sla }),
      };
    } catch (err) {
      // Only the error's kind, in the instance's history: a mail service's message may name the
      // requester. `runPlaybook`, if it fails too, says the rest.
      return { context, classification, playbookFailed: err instanceof Error ? err.name : 'error' };
    }
  };
};

/**
 * The SLA as the workflow's automation phase records it with the first guide: the clock started
 * when the ticket reached the workflow (the time triage was called) and paused as the guide goes
 * out, so the view is the same whenever in this activity it is taken.
 */
export function firstGuideSla(
  context: TicketContext,
  classification: Classification,
  receivedAt: number,
): SlaView {
  const aroundTheClock = runsAroundTheClock(classification);
  const hours = aroundTheClock ? AROUND_THE_CLOCK : context.businessHours;
  const clock = pauseClock(startClock(context.slaTier, receivedAt), receivedAt, hours);
  return slaViewOf(context.slaTier, receivedAt, clock, hours, aroundTheClock ? context.p1 : undefined);
}
