import type { Task } from 'durable-functions';

import { addBusinessTime } from '../../domain/businessHours';
import { interpretReply, MINUTE, type TicketEvent } from '../../domain/lifecycle';
import { clockReaches, pauseClock, SLA_WARNING_FRACTION } from '../../domain/sla';
import type { Phase, TicketRun } from './ticketRun';

/**
 * With a person: tier time limits chain upwards, the SLA warns at 75% and alerts on breach, the
 * P1 pager repeats until someone records a plan; an engineer's fix or a late yes resolves.
 */
export function* escalated(run: TicketRun): Generator<Task, Phase, unknown> {
  const { settings, p1 } = run;
  // Tier limits count business time: nobody is expected to record a plan at 3 a.m.
  const tierLimit = (from: number) =>
    addBusinessTime(from, settings.tierLimitMinutes[tierKey(run.tier)] * MINUTE, run.hours);
  let tierDeadline: number | undefined = tierLimit(run.now());
  for (;;) {
    const deadlines = {
      tierLimit: tierDeadline,
      repage:
        run.pages > 0 && run.pages < p1.maxPages ? run.lastPageAt + p1.repageMinutes * MINUTE : undefined,
      slaWarning: run.sla.warned ? undefined : clockReaches(run.sla, SLA_WARNING_FRACTION, run.hours),
      slaBreach: run.sla.breached ? undefined : clockReaches(run.sla, 1, run.hours),
    };
    run.setStatus(deadlines);
    const wake = yield* run.inbox.next(deadlines);
    if (wake.kind === 'timer' && wake.name === 'tierLimit') {
      if (run.tier < settings.maxTier) {
        yield* handUp(run);
        tierDeadline = tierLimit(tierDeadline ?? run.now());
      } else {
        yield* run.alert(
          'tier_limit_passed',
          run.tier,
          `No plan recorded at tier ${run.tier} within its time limit`,
        );
        tierDeadline = undefined;
      }
    } else if (wake.kind === 'timer') yield* slaOrPager(run, wake.name);
    else if (wake.event.kind === 'plan') {
      tierDeadline = undefined;
      yield* plan(run, wake.event);
    } else if (wake.event.kind === 'update') {
      // An engineer who writes to the requester in the PSA is working on it: a plan, told publicly.
      tierDeadline = undefined;
      const { by, text } = wake.event;
      yield* plan(run, {
        kind: 'plan',
        by,
        note: `Public note in the PSA: ${text}`,
        publicNote: text,
        source: 'psa',
      });
    } else if (wake.event.kind === 'waiting') yield* run.psaWaiting(wake.event);
    else if (yield* resolves(run, wake.event)) return 'closed';
  }
}

/** No plan in time: the next tier has it now. */
function* handUp(run: TicketRun): Generator<Task, void, unknown> {
  const from = run.tier++;
  yield* run.act.updateTicket({
    step: `tier-${run.tier}`,
    outcome: 'handed_up',
    tier: run.tier,
    note: `No plan from tier ${from} within ${run.settings.tierLimitMinutes[tierKey(from)]} minutes; handed up to tier ${run.tier}`,
  });
  yield* run.alert(
    'tier_handoff',
    run.tier,
    `No plan from tier ${from} in time; ${run.ticketId} is now yours`,
  );
  yield* run.mailUpdate('handedUp', `handed-up-${run.tier}`);
}

function* slaOrPager(run: TicketRun, deadline: string): Generator<Task, void, unknown> {
  if (deadline === 'repage') {
    yield* run.page();
  } else if (deadline === 'slaWarning') {
    run.sla = { ...run.sla, warned: true };
    yield* run.alert(
      'sla_warning',
      run.tier,
      `75% of the resolution time is used; due ${run.slaView().resolutionDue ?? ''}`,
    );
    yield* run.act.updateTicket({
      step: 'sla-warning',
      outcome: 'sla_warning',
      note: 'SLA warning: 75% of the resolution time used',
      sla: run.slaView(),
    });
  } else {
    run.sla = { ...run.sla, breached: true };
    yield* run.alert('sla_breach', run.tier, 'The resolution SLA is breached');
    yield* run.act.updateTicket({
      step: 'sla-breach',
      outcome: 'sla_breach',
      note: 'SLA breached: the resolution deadline passed',
      sla: run.slaView(),
    });
  }
}

/** Someone has it: the tier timer and the pager stop; the requester hears the public note. */
function* plan(
  run: TicketRun,
  event: Extract<TicketEvent, { kind: 'plan' }>,
): Generator<Task, void, unknown> {
  run.pages = 0;
  run.tier = Math.max(1, Math.min(3, Math.trunc(event.tier ?? run.tier) || run.tier));
  const step = `plan-${run.reopens}-${++run.plans}`;
  const note = `Plan recorded by ${event.by} (tier ${run.tier}): ${event.note}`;
  // A plan made in the PSA is already there.
  const psaNote = event.source === 'psa' ? undefined : note;
  yield* run.act.updateTicket({
    step,
    outcome: 'plan',
    tier: run.tier,
    note,
    ...(psaNote ? { psaNote } : {}),
  });
  yield* run.mailUpdate('plan', step, { text: event.publicNote });
}

/** An engineer's fix or a late yes ends the escalation; a reply goes to the tier. */
function* resolves(run: TicketRun, event: TicketEvent): Generator<Task, boolean, unknown> {
  if (event.kind === 'resolved') {
    yield* run.resolvedByEngineer(event, `resolved-by-engineer-${run.reopens}`);
    return true;
  }
  if (event.kind === 'reply') {
    yield* run.recordReply(event, interpretReply(event.text), true);
    return false;
  }
  if (event.kind === 'confirmation' && event.answer === 'yes') {
    // A late "yes" from the guide mail: the requester fixed it after all.
    run.sla = pauseClock(run.sla, run.now(), run.hours);
    yield* run.resolvedByRequester(
      `resolved-late-${run.reopens}`,
      `The requester confirmed that "${run.attempted ?? 'the guide'}" fixed it after escalation.`,
    );
    return true;
  }
  return false;
}

export function tierKey(tier: number): 1 | 2 | 3 {
  return tier >= 3 ? 3 : tier <= 1 ? 1 : 2;
}
