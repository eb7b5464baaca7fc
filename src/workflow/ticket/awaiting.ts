import type { Task } from 'durable-functions';

import { HOUR, type ReplyMeaning, silencePolicy } from '../../domain/lifecycle';
import { resumeClock } from '../../domain/sla';
import type { Phase, TicketRun } from './ticketRun';

/** "Did this resolve your issue?": the links, a mail reply, an engineer's fix, or silence. */
export function* awaiting(run: TicketRun): Generator<Task, Phase, unknown> {
  const next = yield* awaitAnswer(run);
  if (next === 'escalate') run.sla = resumeClock(run.sla, run.now());
  return next;
}

function* awaitAnswer(run: TicketRun): Generator<Task, Phase, unknown> {
  const { settings } = run;
  let reminderAt: number | undefined = run.now() + settings.reminderAfterHours * HOUR;
  let silenceAt: number | undefined;
  for (;;) {
    const deadlines = { reminder: reminderAt, silence: silenceAt };
    run.setStatus(deadlines);
    const wake = yield* run.inbox.next(deadlines);
    if (wake.kind === 'timer' && wake.name === 'reminder') {
      yield* run.mailUpdate('reminder', `reminder-${run.attempts}`);
      // Count from when the reminder was due, so a late wake-up (a restart) does not stretch the wait.
      silenceAt = (reminderAt ?? run.now()) + settings.silenceAfterHours * HOUR;
      reminderAt = undefined;
      continue;
    }
    if (wake.kind === 'timer') return yield* silence(run);
    const event = wake.event;
    let meaning: ReplyMeaning;
    if (event.kind === 'confirmation') meaning = event.answer;
    else if (event.kind === 'reply') {
      const read = yield* run.readReply(
        event,
        `Did "${run.attempted ?? 'the help we sent'}" resolve the issue?`,
      );
      yield* run.recordReply(event, read, false);
      // A different problem became a ticket of its own; this one still waits for its answer.
      if (read === 'new_issue') continue;
      meaning = read;
      if (meaning === 'unclear' && !run.clarified) {
        yield* run.clarify(`clarify-${run.attempts}`);
        continue;
      }
    } else if (event.kind === 'resolved') {
      // An engineer fixed it while we waited: that is not the requester's yes.
      yield* run.resolvedByEngineer(event, 'resolved-by-engineer-awaiting');
      return 'closed';
    } else if (event.kind === 'update') {
      // An engineer's public note in the PSA while we wait on the requester: passed on.
      yield* run.publicUpdate(event);
      continue;
    } else continue; // a plan before escalation (the events API answers 409), a PSA status
    run.answer = meaning;
    if (meaning === 'yes') {
      yield* run.resolvedByRequester(
        'resolved',
        `The requester confirmed that "${run.attempted ?? 'the guide'}" fixed it.`,
      );
      return 'closed';
    }
    run.escalationReason =
      meaning === 'no'
        ? 'the requester said the guide did not fix it'
        : 'the requester replied and a person should read it';
    return 'escalate';
  }
}

/** No answer after a reminder: the category's silence policy closes or escalates. */
function* silence(run: TicketRun): Generator<Task, Phase, unknown> {
  run.answer = 'silence';
  if (silencePolicy(run.settings, run.classification.category) !== 'close') {
    run.escalationReason = 'the requester did not answer after a reminder';
    return 'escalate';
  }
  run.advance('closed_unconfirmed');
  yield* run.outcome(
    'resolved_unconfirmed',
    'closed-unconfirmed',
    `No answer after the guide "${run.attempted ?? ''}" and a reminder; closed as resolved, unconfirmed.`,
  );
  yield* run.mailUpdate('closedUnconfirmed', 'closed-unconfirmed');
  return 'closed';
}
