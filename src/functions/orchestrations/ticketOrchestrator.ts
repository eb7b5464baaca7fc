import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import * as df from 'durable-functions';

import { AROUND_THE_CLOCK, runsAroundTheClock } from '../../domain/aroundTheClock';
import { addBusinessTime, type BusinessHours } from '../../domain/businessHours';
import type { Classification } from '../../domain/classification';
import type { RequesterAnswer } from '../../domain/escalation';
import {
  HOUR,
  interpretReply,
  MINUTE,
  type ReplyMeaning,
  silencePolicy,
  type TicketEvent,
} from '../../domain/lifecycle';
import {
  clockReaches,
  pauseClock,
  responseDue,
  resumeClock,
  SLA_WARNING_FRACTION,
  type SlaClock,
  type SlaView,
  startClock,
} from '../../domain/sla';
import type { Stage } from '../../domain/ticket';
import type { NotificationKind } from '../../ports/notifier';
import type { Outcome } from '../../ports/resolutionLog';
import type { TicketWorkflowInput } from '../../ports/ticketWorkflow';
import type { PlaybookResult, TicketContext, UpdateKind } from '../activities/ticketActivities';
import { Activities, Orchestrations } from '../names';
import { EventInbox } from './eventInbox';

export interface TicketStatus {
  stage: Stage;
  phase: Phase;
  category?: string;
  tier?: number;
  nextDeadline?: string;
  nextDeadlineIs?: string;
}

type Phase = 'automation' | 'awaiting' | 'escalate' | 'escalated' | 'closed' | 'done';

const DAY = 24 * HOUR;
/** Activities talk to storage and mail; a short blip should not fail a ticket. */
const ACTIVITY_RETRY = new df.RetryOptions(5_000, 4);
ACTIVITY_RETRY.backoffCoefficient = 2;
/**
 * Activities that send mail wait out a throttle: ACS's Azure-managed domain allows a handful of
 * mails an hour, so these retry for about 95 minutes (10 s doubling, at most 15 min apart).
 */
const MAIL_RETRY = new df.RetryOptions(10_000, 12);
MAIL_RETRY.backoffCoefficient = 2;
MAIL_RETRY.maxRetryIntervalInMilliseconds = 15 * 60_000;

/**
 * One orchestration per ticket, from acknowledgement to close. Deterministic: time comes only from
 * the durable context and every side effect happens in an activity, keyed by ticket and step.
 *
 * Phases: automation (run the playbook) -> awaiting (the requester's answer; the SLA clock is
 * paused) -> escalate -> escalated (tier time limits and SLA warnings) -> closed (a reply within
 * the reopen window reopens) -> done.
 */
export const ticketOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const { ticketId } = context.df.getInput<TicketWorkflowInput>();
  const now = () => context.df.currentUtcDateTime.getTime();
  const iso = () => context.df.currentUtcDateTime.toISOString();
  const call = (name: string, args: object = {}, retry = ACTIVITY_RETRY) =>
    context.df.callActivityWithRetry(name, retry, { ticketId, at: iso(), ...args });

  // 1. The first response: the requester hears from us at once.
  const receivedAt = now();
  context.df.setCustomStatus({ stage: 'received', phase: 'automation' } satisfies TicketStatus);
  const ack = (yield call(Activities.acknowledge, {}, MAIL_RETRY)) as { context: TicketContext };
  const ctx = ack.context;
  let hours: BusinessHours = ctx.businessHours;
  const settings = ctx.lifecycle;
  const p1 = ctx.p1;
  let aroundTheClock = false;
  let sla: SlaClock = startClock(ctx.slaTier, receivedAt);
  const startSla = (at: number) =>
    aroundTheClock ? startClock(ctx.slaTier, at, p1.resolutionMinutes * MINUTE) : startClock(ctx.slaTier, at);
  const slaView = (): SlaView => ({
    tier: ctx.slaTier,
    responseDue: new Date(
      aroundTheClock ? receivedAt + p1.responseMinutes * MINUTE : responseDue(ctx.slaTier, receivedAt, hours),
    ).toISOString(),
    respondedAt: new Date(receivedAt).toISOString(),
    resolutionDue: isoOrUndefined(clockReaches(sla, 1, hours)),
    ...(aroundTheClock ? { aroundTheClock: true } : {}),
    paused: !sla.runningSince,
    warned: sla.warned,
    breached: sla.breached,
  });

  let stage: Stage = 'received';
  let phase: Phase = 'automation';
  let category: string | undefined = undefined;
  let tier = 1;
  const setStatus = (deadlines: Record<string, number | undefined> = {}) => {
    const next = Object.entries(deadlines)
      .filter((d): d is [string, number] => d[1] !== undefined)
      .sort((a, b) => a[1] - b[1])[0];
    context.df.setCustomStatus({
      stage,
      phase,
      category,
      tier,
      nextDeadline: isoOrUndefined(next?.[1]),
      nextDeadlineIs: next?.[0],
    } satisfies TicketStatus);
  };
  setStatus();

  // 2. What is it, and may automation touch it? If that cannot be answered, a person decides.
  let classification: Classification;
  try {
    classification = (yield call(Activities.classify, {
      autoThreshold: ctx.autoThreshold,
    })) as Classification;
  } catch (err) {
    classification = unclassified(`autotier could not classify it (${failureReason(err)})`);
  }
  stage = 'classified';
  category = classification.category;
  tier = classification.tier;
  if (runsAroundTheClock(classification)) {
    // A P1 or a security incident on Sunday night does not wait for Monday.
    aroundTheClock = true;
    hours = AROUND_THE_CLOCK;
    sla = startSla(receivedAt);
  }
  setStatus();

  const inbox = new EventInbox(context);
  let answer: RequesterAnswer = 'none';
  let escalationReason = classification.route === 'escalate' ? classification.reasons.join('; ') : '';
  /** What the requester is told about why automation handed over, when a playbook says. */
  let escalationTold: string | undefined;
  let articleId: string | undefined;
  let attempted: string | undefined;
  let attempts = 0;
  let reopens = 0;
  let replies = 0;
  let alerts = 0;
  /** Pages to the on-call for this escalation of a P1 (0 when not paging). */
  let pages = 0;
  let lastPageAt = 0;
  phase = classification.route === 'auto' ? 'automation' : 'escalate';

  const mailUpdate = (kind: UpdateKind, step: string, extra: object = {}) =>
    call(Activities.sendUpdate, { kind, step, ...extra }, MAIL_RETRY);
  const alert = (kind: NotificationKind, alertTier: number, message: string) =>
    call(Activities.notifyTier, { key: `${kind}-${++alerts}`, kind, tier: alertTier, message });
  const outcome = (result: Outcome, step: string, summary: string, note?: string) =>
    call(Activities.recordOutcome, { step, outcome: result, summary, note, articleId, sla: slaView() });
  const page = () => {
    lastPageAt = now();
    pages++;
    return call(Activities.notifyTier, {
      key: `p1-page-${reopens}-${pages}`,
      kind: 'p1_page',
      audience: 'oncall',
      tier,
      message: `P1 ${ticketId}: page ${pages} of ${p1.maxPages}, no plan recorded yet (${escalationReason})`,
    });
  };
  /** An engineer's fix: their note stays internal; the requester hears the public note or a plain line. */
  function* resolvedByEngineer(event: Extract<TicketEvent, { kind: 'resolved' }>, step: string) {
    sla = pauseClock(sla, now(), hours);
    stage = 'resolved';
    yield outcome('resolved_by_engineer', step, `Resolved by ${event.by}.`, event.note);
    yield mailUpdate('resolvedByEngineer', step, { text: event.publicNote });
  }
  /** "ok", "?": one clarifying question before anything escalates or reopens. */
  let clarified = false;
  const clarify = (step: string) => {
    clarified = true;
    return mailUpdate('clarify', step, { stage });
  };
  const recordReply = (event: Extract<TicketEvent, { kind: 'reply' }>, meaning: string, notify: boolean) =>
    call(Activities.recordReply, {
      step: `reply-${++replies}`,
      from: event.from,
      text: event.text,
      meaning,
      tier,
      notify,
    });

  let closedAt = 0;
  let plans = 0;
  let failures = 0;
  // `phase` changes inside runPhase, which the compiler's narrowing cannot see.
  const finished = (p: Phase) => p === 'done';
  while (!finished(phase)) {
    const failedIn = phase;
    try {
      yield* runPhase();
    } catch (err) {
      // An activity that failed every retry (storage or a PSA down for minutes, a bug on odd
      // input) must not end the ticket in silence: a person takes over with the reason. A
      // failure while handing over goes up, and the stuck-ticket watch reports the instance.
      if (failedIn === 'escalate') throw err;
      failures++;
      escalationReason = `autotier could not finish the ${failedIn} step (${failureReason(err)}); a person should take it from here`;
      escalationTold = undefined;
      if (!sla.runningSince) sla = resumeClock(sla, now());
      phase = 'escalate';
    }
  }
  setStatus();
  return { ticketId, stage, category, tier, reopens };

  function* runPhase(): Generator<Task, void, unknown> {
    switch (phase) {
      case 'automation': {
        // 3. Resolve it ourselves with the documented playbook.
        stage = 'resolving';
        setStatus();
        // From the moment the guide goes out we wait on the requester: the SLA clock stops.
        sla = pauseClock(sla, now(), hours);
        const ran = (yield call(
          Activities.runPlaybook,
          { attempt: ++attempts, sla: slaView() },
          MAIL_RETRY,
        )) as PlaybookResult;
        if (!ran.ran) {
          escalationReason = ran.reason;
          escalationTold = ran.told;
          sla = resumeClock(sla, now());
          phase = 'escalate';
          break;
        }
        articleId = ran.articleId;
        attempted = ran.title;
        stage = 'awaiting_confirmation';
        phase = 'awaiting';
        break;
      }

      case 'awaiting': {
        // 4. "Did this resolve your issue?" — links, a mail reply, or silence.
        let reminderAt: number | undefined = now() + settings.reminderAfterHours * HOUR;
        let silenceAt: number | undefined;
        let decided = false;
        while (!decided) {
          const deadlines = { reminder: reminderAt, silence: silenceAt };
          setStatus(deadlines);
          const wake = yield* inbox.next(deadlines);
          if (wake.kind === 'timer' && wake.name === 'reminder') {
            yield mailUpdate('reminder', `reminder-${attempts}`);
            // Count from when the reminder was due, so a late wake-up (a restart) does not stretch the wait.
            silenceAt = (reminderAt ?? now()) + settings.silenceAfterHours * HOUR;
            reminderAt = undefined;
            continue;
          }
          if (wake.kind === 'timer') {
            answer = 'silence';
            decided = true;
            if (silencePolicy(settings, classification.category) === 'close') {
              stage = 'closed';
              yield outcome(
                'resolved_unconfirmed',
                'closed-unconfirmed',
                `No answer after the guide "${attempted ?? ''}" and a reminder; closed as resolved, unconfirmed.`,
              );
              yield mailUpdate('closedUnconfirmed', 'closed-unconfirmed');
              phase = 'closed';
            } else {
              escalationReason = 'the requester did not answer after a reminder';
              phase = 'escalate';
            }
            continue;
          }
          const event = wake.event;
          let meaning: ReplyMeaning;
          if (event.kind === 'confirmation') meaning = event.answer;
          else if (event.kind === 'reply') {
            meaning = interpretReply(event.text);
            yield recordReply(event, meaning, false);
            if (meaning === 'unclear' && !clarified) {
              yield clarify(`clarify-${attempts}`);
              continue;
            }
          } else if (event.kind === 'resolved') {
            // An engineer fixed it while we waited: that is not the requester's yes.
            decided = true;
            yield* resolvedByEngineer(event, 'resolved-by-engineer-awaiting');
            phase = 'closed';
            continue;
          } else continue; // a plan before escalation: the events API answers 409
          decided = true;
          answer = meaning;
          if (meaning === 'yes') {
            stage = 'resolved';
            yield outcome(
              'resolved_confirmed',
              'resolved',
              `The requester confirmed that "${attempted ?? 'the guide'}" fixed it.`,
            );
            yield mailUpdate('resolved', 'resolved', { text: attempted });
            phase = 'closed';
          } else {
            escalationReason =
              meaning === 'no'
                ? 'the requester said the guide did not fix it'
                : 'the requester replied and a person should read it';
            phase = 'escalate';
          }
        }
        if (phase === 'escalate') sla = resumeClock(sla, now());
        break;
      }

      case 'escalate': {
        // 5. Hand over with the full package, and tell the requester when to expect an answer.
        tier = Math.max(tier, classification.route === 'auto' ? 1 : classification.tier);
        stage = 'escalated';
        const step = `escalation-${reopens}-${tier}${failures ? `-f${failures}` : ''}`;
        try {
          yield call(Activities.escalate, { step, tier, reason: escalationReason, answer, sla: slaView() });
        } catch (err) {
          // The full hand-over (package, PSA note, queue) failed: the tier still hears of it.
          yield alert(
            'escalation',
            tier,
            `${ticketId} needs a person (${escalationReason}); the hand-over to the PSA failed: ${failureReason(err)}`,
          );
        }
        yield mailUpdate('escalated', `escalated-${reopens}`, {
          expectBy: slaView().resolutionDue,
          text: escalationTold,
        });
        escalationTold = undefined;
        pages = 0;
        if (aroundTheClock) yield page();
        phase = 'escalated';
        break;
      }

      case 'escalated': {
        // 6 and 7. Tier time limits chain upwards; the SLA warns at 75% and alerts on breach.
        // Tier limits count business time: nobody is expected to record a plan at 3 a.m.
        const tierLimit = (from: number) =>
          addBusinessTime(from, settings.tierLimitMinutes[tierKey(tier)] * MINUTE, hours);
        let tierDeadline: number | undefined = tierLimit(now());
        let resolved = false;
        while (!resolved) {
          const deadlines = {
            tierLimit: tierDeadline,
            repage: pages > 0 && pages < p1.maxPages ? lastPageAt + p1.repageMinutes * MINUTE : undefined,
            slaWarning: sla.warned ? undefined : clockReaches(sla, SLA_WARNING_FRACTION, hours),
            slaBreach: sla.breached ? undefined : clockReaches(sla, 1, hours),
          };
          setStatus(deadlines);
          const wake = yield* inbox.next(deadlines);
          if (wake.kind === 'timer') {
            if (wake.name === 'repage') {
              yield page();
            } else if (wake.name === 'tierLimit') {
              if (tier < settings.maxTier) {
                const from = tier++;
                yield call(Activities.updateTicket, {
                  step: `tier-${tier}`,
                  outcome: 'handed_up',
                  tier,
                  note: `No plan from tier ${from} within ${settings.tierLimitMinutes[tierKey(from)]} minutes; handed up to tier ${tier}`,
                });
                yield alert(
                  'tier_handoff',
                  tier,
                  `No plan from tier ${from} in time; ${ticketId} is now yours`,
                );
                yield mailUpdate('handedUp', `handed-up-${tier}`);
                tierDeadline = tierLimit(tierDeadline ?? now());
              } else {
                yield alert(
                  'tier_limit_passed',
                  tier,
                  `No plan recorded at tier ${tier} within its time limit`,
                );
                tierDeadline = undefined;
              }
            } else if (wake.name === 'slaWarning') {
              sla = { ...sla, warned: true };
              yield alert(
                'sla_warning',
                tier,
                `75% of the resolution time is used; due ${slaView().resolutionDue ?? ''}`,
              );
              yield call(Activities.updateTicket, {
                step: 'sla-warning',
                outcome: 'sla_warning',
                note: 'SLA warning: 75% of the resolution time used',
                sla: slaView(),
              });
            } else {
              sla = { ...sla, breached: true };
              yield alert('sla_breach', tier, 'The resolution SLA is breached');
              yield call(Activities.updateTicket, {
                step: 'sla-breach',
                outcome: 'sla_breach',
                note: 'SLA breached: the resolution deadline passed',
                sla: slaView(),
              });
            }
            continue;
          }
          const event = wake.event;
          if (event.kind === 'plan') {
            tierDeadline = undefined;
            pages = 0; // someone has it: the pager stops
            tier = Math.max(1, Math.min(3, Math.trunc(event.tier ?? tier) || tier));
            const step = `plan-${reopens}-${++plans}`;
            const note = `Plan recorded by ${event.by} (tier ${tier}): ${event.note}`;
            yield call(Activities.updateTicket, { step, outcome: 'plan', tier, note, psaNote: note });
            yield mailUpdate('plan', step, { text: event.publicNote });
          } else if (event.kind === 'resolved') {
            yield* resolvedByEngineer(event, `resolved-by-engineer-${reopens}`);
            resolved = true;
          } else if (event.kind === 'reply') {
            yield recordReply(event, interpretReply(event.text), true);
          } else if (event.kind === 'confirmation' && event.answer === 'yes') {
            // A late "yes" from the guide mail: the requester fixed it after all.
            sla = pauseClock(sla, now(), hours);
            stage = 'resolved';
            yield outcome(
              'resolved_confirmed',
              `resolved-late-${reopens}`,
              `The requester confirmed that "${attempted ?? 'the guide'}" fixed it after escalation.`,
            );
            yield mailUpdate('resolved', `resolved-late-${reopens}`, { text: attempted });
            resolved = true;
          }
        }
        phase = 'closed';
        break;
      }

      case 'closed': {
        // 9. A reply within the reopen window reopens and escalates.
        closedAt = now();
        clarified = false;
        const reopenUntil = closedAt + settings.reopenWindowDays * DAY;
        setStatus({ reopenWindow: reopenUntil });
        let reopened = false;
        while (!reopened) {
          const wake = yield* inbox.next({ reopenWindow: reopenUntil });
          if (wake.kind === 'timer') break;
          if (wake.event.kind !== 'reply') continue;
          const meaning = interpretReply(wake.event.text);
          yield recordReply(wake.event, meaning, false);
          if (meaning === 'yes') continue; // "thanks!" after the close is not a reopen
          if (meaning === 'unclear' && !clarified) {
            yield clarify(`clarify-closed-${reopens}-${replies}`);
            continue;
          }
          reopened = true;
        }
        if (!reopened) {
          if (stage === 'resolved') {
            stage = 'closed';
            yield call(Activities.updateTicket, {
              step: 'closed',
              outcome: 'closed',
              stage: 'closed',
              note: 'Closed: the reopen window passed',
              sla: slaView(),
            });
          }
          phase = 'done';
          break;
        }
        reopens++;
        yield call(Activities.updateTicket, {
          step: `reopen-${reopens}`,
          outcome: 'reopened',
          stage: 'escalated',
          reopens,
          note: `Reopened by the requester (reopen ${reopens})`,
        });
        yield alert('reopened', Math.max(tier, 1), `${ticketId} was reopened by the requester`);
        yield mailUpdate('reopened', `reopened-${reopens}`);
        sla = startSla(now());
        answer = 'no';
        clarified = false;
        escalationReason = 'the requester reopened the ticket after it was closed';
        phase = 'escalate';
        break;
      }
    }
  }
};

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

function failureReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]?.slice(0, 300) ?? 'unknown error';
}

function tierKey(tier: number): 1 | 2 | 3 {
  return tier >= 3 ? 3 : tier <= 1 ? 1 : 2;
}

function isoOrUndefined(t: number | undefined): string | undefined {
  return t === undefined ? undefined : new Date(t).toISOString();
}

df.app.orchestration(Orchestrations.ticket, ticketOrchestrator);
