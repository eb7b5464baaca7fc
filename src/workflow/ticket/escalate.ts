import type { Task } from 'durable-functions';

import { failureReason } from './failure';
import type { Phase, TicketRun } from './ticketRun';

/** Hand over with the full package, and tell the requester when to expect an answer. */
export function* escalate(run: TicketRun): Generator<Task, Phase, unknown> {
  const { classification } = run;
  run.tier = Math.max(run.tier, classification.route === 'auto' ? 1 : classification.tier);
  run.advance('escalated');
  const step = `escalation-${run.reopens}-${run.tier}${run.failures ? `-f${run.failures}` : ''}`;
  try {
    yield* run.act.escalate({
      step,
      tier: run.tier,
      reason: run.escalationReason,
      answer: run.answer,
      sla: run.slaView(),
    });
  } catch (err) {
    // The full hand-over (package, PSA note, queue) failed: the tier still hears of it.
    yield* run.alert(
      'escalation',
      run.tier,
      `${run.ticketId} needs a person (${run.escalationReason}); the hand-over to the PSA failed: ${failureReason(err)}`,
    );
  }
  yield* run.mailUpdate('escalated', `escalated-${run.reopens}`, {
    expectBy: run.slaView().resolutionDue,
    text: run.escalationTold,
  });
  run.escalationTold = undefined;
  run.pages = 0;
  if (run.aroundTheClock) yield* run.page();
  return 'escalated';
}
