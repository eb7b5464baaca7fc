import type { Task } from 'durable-functions';

import { pauseClock, resumeClock } from '../../domain/sla';
import type { Phase, TicketRun } from './ticketRun';

/** Resolve it ourselves with the documented playbook, then wait on the requester. */
export function* automation(run: TicketRun): Generator<Task, Phase, unknown> {
  run.advance('resolving');
  run.setStatus();
  // From the moment the guide goes out we wait on the requester: the SLA clock stops.
  run.sla = pauseClock(run.sla, run.now(), run.hours);
  const attempt = ++run.attempts;
  // Version 3: triage ran the first playbook already (with this same SLA view).
  const ran =
    attempt === 1 && run.firstPlaybook
      ? run.firstPlaybook
      : yield* run.act.runPlaybook({ attempt, sla: run.slaView() });
  if (!ran.ran) {
    run.escalationReason = ran.reason;
    run.escalationTold = ran.told;
    run.sla = resumeClock(run.sla, run.now());
    return 'escalate';
  }
  run.articleId = ran.articleId;
  run.attempted = ran.title;
  run.advance('guide_sent');
  return 'awaiting';
}
