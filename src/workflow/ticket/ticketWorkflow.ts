import type { OrchestrationContext, Task } from 'durable-functions';

import type { Classification } from '../../domain/classification';
import { resumeClock } from '../../domain/sla';
import type { TicketWorkflowInput } from '../../ports/ticketWorkflow';
import type { PlaybookResult, TicketContext } from '../activities/ticketActivities';
import { proxyTicketActivities, type TicketActivityProxy } from '../activityProxy';
import { automation } from './automation';
import { awaiting } from './awaiting';
import { closed } from './closed';
import { escalate } from './escalate';
import { escalated } from './escalated';
import { failureReason } from './failure';
import { type Phase, type PhaseRunner, TicketRun, type TicketStatus } from './ticketRun';

export type { TicketStatus } from './ticketRun';

const PHASES: Record<Exclude<Phase, 'done'>, PhaseRunner> = {
  automation,
  awaiting,
  escalate,
  escalated,
  closed,
};

/**
 * One orchestration per ticket, from acknowledgement to close. Deterministic: time comes only from
 * the durable context and every side effect happens in an activity, keyed by ticket and step.
 *
 * Phases: automation (run the playbook) -> awaiting (the requester's answer; the SLA clock is
 * paused) -> escalate -> escalated (tier time limits and SLA warnings) -> closed (a reply within
 * the reopen window reopens) -> done.
 */
export function* ticketWorkflow(context: OrchestrationContext): Generator<Task, unknown, unknown> {
  const input = context.df.getInput<TicketWorkflowInput>();
  const act = proxyTicketActivities(context, input.ticketId);

  // The first response: the requester hears from us at once. Then: what is it, and may
  // automation touch it? If that cannot be answered, a person decides.
  context.df.setCustomStatus({ stage: 'received', phase: 'automation' } satisfies TicketStatus);
  const { client, classification, receivedAt, playbook } = yield* acknowledgeAndClassify(context, act, input);
  const run = new TicketRun(context, act, input.ticketId, client, receivedAt);
  run.classified(classification);
  run.firstPlaybook = playbook;
  run.setStatus();

  let phase: Phase = classification.route === 'auto' ? 'automation' : 'escalate';
  while (phase !== 'done') {
    const failedIn: Exclude<Phase, 'done'> = phase;
    run.phase = phase;
    try {
      phase = yield* PHASES[failedIn](run);
    } catch (err) {
      // An activity that failed every retry (storage or a PSA down for minutes, a bug on odd
      // input) must not end the ticket in silence: a person takes over with the reason. A
      // failure while handing over goes up, and the stuck-ticket watch reports the instance.
      if (failedIn === 'escalate') throw err;
      run.failures++;
      run.escalationReason = `autotier could not finish the ${failedIn} step (${failureReason(err)}); a person should take it from here`;
      run.escalationTold = undefined;
      if (!run.sla.runningSince) run.sla = resumeClock(run.sla, run.now());
      phase = 'escalate';
    }
  }
  run.phase = phase;
  run.setStatus();
  return {
    ticketId: input.ticketId,
    stage: run.stage,
    category: run.category,
    tier: run.tier,
    reopens: run.reopens,
  };
}

/**
 * The acknowledgement and the classification. Version 2, for a ticket the intake acknowledged:
 * one activity records both; if it fails every retry, `acknowledge` alone records the
 * acknowledgement (and fails the instance as version 1 does if that cannot be written either).
 * Version 3: that activity also runs the first playbook of a ticket for automation, and the
 * automation phase takes its result instead of calling `runPlaybook` (which it still calls if the
 * playbook threw there).
 * Version 1 (instances started before version 2, and tickets the intake could not acknowledge):
 * `acknowledge`, which sends the mail when the intake did not, then `classify`.
 * `receivedAt` starts the SLA clock: the orchestration's time when the ticket reached it (version
 * 2), or once it was acknowledged (version 1, kept so its instances replay the deadlines they set).
 */
function* acknowledgeAndClassify(
  context: OrchestrationContext,
  act: TicketActivityProxy,
  { acknowledgedAt, version = 1 }: TicketWorkflowInput,
): Generator<
  Task,
  { client: TicketContext; classification: Classification; receivedAt: number; playbook?: PlaybookResult },
  unknown
> {
  const now = () => context.df.currentUtcDateTime.getTime();
  if (version >= 2 && acknowledgedAt) {
    const receivedAt = now();
    try {
      const triaged = yield* act.triage(version >= 3 ? { acknowledgedAt, guide: true } : { acknowledgedAt });
      const { context: client, classification, playbook } = triaged;
      return { client, classification, receivedAt, ...(playbook ? { playbook } : {}) };
    } catch (err) {
      const { context: client } = yield* act.acknowledge({ acknowledgedAt });
      return { client, classification: unclassifiable(err), receivedAt };
    }
  }
  const { context: client } = yield* act.acknowledge(acknowledgedAt ? { acknowledgedAt } : {});
  const receivedAt = now();
  try {
    const classification = yield* act.classify({ autoThreshold: client.autoThreshold });
    return { client, classification, receivedAt };
  } catch (err) {
    return { client, classification: unclassifiable(err), receivedAt };
  }
}

const unclassifiable = (err: unknown) =>
  unclassified(`autotier could not classify it (${failureReason(err)})`);

/** A classification that sends the ticket to a person, when the classifier could not run. */
function unclassified(reason: string): Classification {
  return {
    category: 'engineering',
    priority: 'P3',
    confidence: 0,
    route: 'escalate',
    tier: 1,
    reasons: [reason],
  };
}
