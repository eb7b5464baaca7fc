import type { Task } from 'durable-functions';

import { HOUR } from '../../domain/lifecycle';
import type { Phase, TicketRun } from './ticketRun';

const DAY = 24 * HOUR;

/** A reply within the reopen window reopens and escalates; otherwise the ticket closes. */
export function* closed(run: TicketRun): Generator<Task, Phase, unknown> {
  run.clarified = false;
  const reopenUntil = run.now() + run.settings.reopenWindowDays * DAY;
  run.setStatus({ reopenWindow: reopenUntil });
  if (!(yield* reopenedBefore(run, reopenUntil))) {
    const before = run.stage;
    if (run.advance('reopen_window_passed') !== before) {
      yield* run.act.updateTicket({
        step: 'closed',
        outcome: 'closed',
        stage: run.stage,
        note: 'Closed: the reopen window passed',
        sla: run.slaView(),
      });
    }
    return 'done';
  }
  run.reopens++;
  yield* run.act.updateTicket({
    step: `reopen-${run.reopens}`,
    outcome: 'reopened',
    stage: run.advance('reopened'),
    reopens: run.reopens,
    note: `Reopened by the requester (reopen ${run.reopens})`,
  });
  yield* run.alert('reopened', Math.max(run.tier, 1), `${run.ticketId} was reopened by the requester`);
  yield* run.mailUpdate('reopened', `reopened-${run.reopens}`);
  run.sla = run.startSla(run.now());
  run.answer = 'no';
  run.clarified = false;
  run.escalationReason = 'the requester reopened the ticket after it was closed';
  return 'escalate';
}

/** Waits out the reopen window; true when a reply (not a "thanks!") reopens the ticket. */
function* reopenedBefore(run: TicketRun, reopenUntil: number): Generator<Task, boolean, unknown> {
  for (;;) {
    const wake = yield* run.inbox.next({ reopenWindow: reopenUntil });
    if (wake.kind === 'timer') return false;
    if (wake.event.kind === 'update') {
      // An engineer's public note after the close (a follow-up word in the PSA): passed on.
      yield* run.publicUpdate(wake.event);
      continue;
    }
    if (wake.event.kind !== 'reply') continue;
    const meaning = yield* run.readReply(
      wake.event,
      'The issue was marked resolved and the ticket closed; the requester wrote again. Is it still fixed?',
    );
    yield* run.recordReply(wake.event, meaning, false);
    // "thanks!" after the close is not a reopen; a different problem became a ticket of its own.
    if (meaning === 'yes' || meaning === 'new_issue') continue;
    if (meaning === 'unclear' && !run.clarified) {
      yield* run.clarify(`clarify-closed-${run.reopens}-${run.replies}`);
      continue;
    }
    return true;
  }
}
