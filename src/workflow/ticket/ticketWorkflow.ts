import type { OrchestrationContext, Task } from 'durable-functions';

import type { Classification } from '../../domain/classification';
import { resumeClock } from '../../domain/sla';
import type { TicketWorkflowInput } from '../../ports/ticketWorkflow';
import { proxyTicketActivities } from '../activityProxy';
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
  const { ticketId, acknowledgedAt } = context.df.getInput<TicketWorkflowInput>();
  const act = proxyTicketActivities(context, ticketId);

  // The first response: the requester hears from us at once.
  context.df.setCustomStatus({ stage: 'received', phase: 'automation' } satisfies TicketStatus);
  const { context: client } = yield* act.acknowledge(acknowledgedAt ? { acknowledgedAt } : {});
  const run = new TicketRun(context, act, ticketId, client);
  run.setStatus();

  // What is it, and may automation touch it? If that cannot be answered, a person decides.
  let classification: Classification;
  try {
    classification = yield* act.classify({ autoThreshold: client.autoThreshold });
  } catch (err) {
    classification = unclassified(`autotier could not classify it (${failureReason(err)})`);
  }
  run.classified(classification);
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
  return { ticketId, stage: run.stage, category: run.category, tier: run.tier, reopens: run.reopens };
}

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
