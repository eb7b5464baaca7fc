import type { OrchestrationContext, Task } from 'durable-functions';

import { AROUND_THE_CLOCK, type P1Settings, runsAroundTheClock } from '../../domain/aroundTheClock';
import type { BusinessHours } from '../../domain/businessHours';
import type { Classification } from '../../domain/classification';
import type { RequesterAnswer } from '../../domain/escalation';
import {
  interpretReply,
  type LifecycleSettings,
  MINUTE,
  type ReplyMeaning,
  type TicketEvent,
} from '../../domain/lifecycle';
import {
  isoOrUndefined,
  pauseClock,
  resumeClock,
  type SlaClock,
  type SlaView,
  slaViewOf,
  startClock,
} from '../../domain/sla';
import { stageAfter, type StageStep } from '../../domain/stage';
import type { Stage } from '../../domain/ticket';
import type { NotificationKind } from '../../ports/notifier';
import type { Outcome } from '../../ports/resolutionLog';
import type { PlaybookResult, TicketContext, UpdateKind } from '../activities/ticketActivities';
import type { TicketActivityProxy } from '../activityProxy';
import { EventInbox } from '../eventInbox';

export type Phase = 'automation' | 'awaiting' | 'escalate' | 'escalated' | 'closed' | 'done';

/** A phase of the ticket workflow: it runs until the ticket moves on, and says to which phase. */
export type PhaseRunner = (run: TicketRun) => Generator<Task, Phase, unknown>;

export interface TicketStatus {
  stage: Stage;
  phase: Phase;
  category?: string;
  tier?: number;
  nextDeadline?: string;
  nextDeadlineIs?: string;
}

/**
 * What one ticket's workflow knows between phases, and the steps every phase shares. Only the
 * orchestration's clock and its activities are used: replaying it gives the same state.
 */
export class TicketRun {
  readonly inbox: EventInbox;
  readonly settings: LifecycleSettings;
  readonly p1: P1Settings;
  hours: BusinessHours;
  aroundTheClock = false;
  sla: SlaClock;
  stage: Stage = 'received';
  phase: Phase = 'automation';
  category: string | undefined = undefined;
  tier = 1;
  private classifiedAs: Classification | undefined;
  answer: RequesterAnswer = 'none';
  escalationReason = '';
  /** What the requester is told about why automation handed over, when a playbook says. */
  escalationTold: string | undefined;
  articleId: string | undefined;
  attempted: string | undefined;
  attempts = 0;
  /** Version 3: the first playbook's result, when triage ran it (see `automation`). */
  firstPlaybook: PlaybookResult | undefined;
  reopens = 0;
  replies = 0;
  alerts = 0;
  plans = 0;
  failures = 0;
  /** Pages to the on-call for this escalation of a P1 (0 when not paging). */
  pages = 0;
  lastPageAt = 0;
  /** "ok", "?": one clarifying question before anything escalates or reopens. */
  clarified = false;
  /** The PSA's status says the engineer waits on the requester: the SLA clock is paused for it. */
  waitingInPsa = false;
  /** Public notes and status changes from the PSA, for unique step names. */
  psaSteps = 0;

  constructor(
    readonly context: OrchestrationContext,
    readonly act: TicketActivityProxy,
    readonly ticketId: string,
    readonly client: TicketContext,
    /** When the SLA clock starts (orchestration time). */
    readonly receivedAt: number,
  ) {
    this.inbox = new EventInbox(context);
    this.settings = client.lifecycle;
    this.p1 = client.p1;
    this.hours = client.businessHours;
    this.sla = startClock(client.slaTier, this.receivedAt);
  }

  now(): number {
    return this.context.df.currentUtcDateTime.getTime();
  }

  /** Moves the stage through the domain's one transition function. */
  advance(step: StageStep): Stage {
    this.stage = stageAfter(this.stage, step);
    return this.stage;
  }

  /** What the classifier said; every phase runs after it. */
  get classification(): Classification {
    if (!this.classifiedAs) throw new Error(`ticket ${this.ticketId} is not classified yet`);
    return this.classifiedAs;
  }

  classified(classification: Classification): void {
    this.classifiedAs = classification;
    this.advance('classified');
    this.category = classification.category;
    this.tier = classification.tier;
    this.escalationReason = classification.route === 'escalate' ? classification.reasons.join('; ') : '';
    if (runsAroundTheClock(classification)) {
      // A P1 or a security incident on Sunday night does not wait for Monday.
      this.aroundTheClock = true;
      this.hours = AROUND_THE_CLOCK;
      this.sla = this.startSla(this.receivedAt);
    }
  }

  startSla(at: number): SlaClock {
    const { slaTier } = this.client;
    return this.aroundTheClock
      ? startClock(slaTier, at, this.p1.resolutionMinutes * MINUTE)
      : startClock(slaTier, at);
  }

  slaView(): SlaView {
    return slaViewOf(
      this.client.slaTier,
      this.receivedAt,
      this.sla,
      this.hours,
      this.aroundTheClock ? this.p1 : undefined,
    );
  }

  /** The custom status: stage, phase and the nearest of the deadlines the phase waits on. */
  setStatus(deadlines: Record<string, number | undefined> = {}): void {
    const next = Object.entries(deadlines)
      .filter((d): d is [string, number] => d[1] !== undefined)
      .sort((a, b) => a[1] - b[1])[0];
    this.context.df.setCustomStatus({
      stage: this.stage,
      phase: this.phase,
      category: this.category,
      tier: this.tier,
      nextDeadline: isoOrUndefined(next?.[1]),
      nextDeadlineIs: next?.[0],
    } satisfies TicketStatus);
  }

  *mailUpdate(
    kind: UpdateKind,
    step: string,
    extra: { text?: string; expectBy?: string; stage?: Stage } = {},
  ) {
    yield* this.act.sendUpdate({ kind, step, ...extra });
  }

  *alert(kind: NotificationKind, tier: number, message: string) {
    yield* this.act.notifyTier({ key: `${kind}-${++this.alerts}`, kind, tier, message });
  }

  *outcome(result: Outcome, step: string, summary: string, note?: string, inPsa?: boolean) {
    const { articleId } = this;
    yield* this.act.recordOutcome({
      step,
      outcome: result,
      summary,
      note,
      articleId,
      sla: this.slaView(),
      ...(inPsa ? { inPsa } : {}),
    });
  }

  /** An engineer's customer-facing note in the PSA reaches the requester as a public update. */
  *publicUpdate(event: Extract<TicketEvent, { kind: 'update' }>) {
    yield* this.mailUpdate('plan', `psa-update-${this.reopens}-${++this.psaSteps}`, { text: event.text });
  }

  /**
   * The PSA's status: "waiting on customer" pauses the SLA clock while it runs, and a move back to
   * any open status resumes it. Only a pause the PSA made is lifted here.
   */
  *psaWaiting(event: Extract<TicketEvent, { kind: 'waiting' }>) {
    if (event.waiting && this.sla.runningSince) {
      this.sla = pauseClock(this.sla, this.now(), this.hours);
      this.waitingInPsa = true;
    } else if (!event.waiting && this.waitingInPsa) {
      this.sla = resumeClock(this.sla, this.now());
      this.waitingInPsa = false;
    } else return;
    yield* this.act.updateTicket({
      step: `psa-status-${this.reopens}-${++this.psaSteps}`,
      note: this.waitingInPsa
        ? `${event.by} set the PSA ticket to waiting on the requester: the SLA clock is paused`
        : `${event.by} set the PSA ticket back to open: the SLA clock runs again`,
      sla: this.slaView(),
    });
  }

  /** Pages the on-call about a P1 nobody has planned for yet. */
  *page() {
    this.lastPageAt = this.now();
    this.pages++;
    yield* this.act.notifyTier({
      key: `p1-page-${this.reopens}-${this.pages}`,
      kind: 'p1_page',
      audience: 'oncall',
      tier: this.tier,
      message: `P1 ${this.ticketId}: page ${this.pages} of ${this.p1.maxPages}, no plan recorded yet (${this.escalationReason})`,
    });
  }

  *clarify(step: string) {
    this.clarified = true;
    yield* this.mailUpdate('clarify', step, { stage: this.stage });
  }

  /**
   * What a reply means: autotier's own rules first; only when they cannot tell and the assistant is
   * configured, the assistant (which may find a new problem: that becomes a linked ticket of its
   * own). A failed reading is as unclear as before.
   */
  *readReply(
    event: Extract<TicketEvent, { kind: 'reply' }>,
    question: string,
  ): Generator<Task, ReplyMeaning | 'new_issue', unknown> {
    const meaning = interpretReply(event.text);
    if (meaning !== 'unclear' || !this.client.assistant) return meaning;
    try {
      const read = yield* this.act.readReply({
        step: `read-reply-${this.replies + 1}`,
        from: event.from,
        text: event.text,
        question,
      });
      return read.answer;
    } catch {
      return 'unclear';
    }
  }

  *recordReply(
    event: Extract<TicketEvent, { kind: 'reply' }>,
    meaning: ReplyMeaning | 'new_issue',
    notify: boolean,
  ) {
    yield* this.act.recordReply({
      step: `reply-${++this.replies}`,
      from: event.from,
      text: event.text,
      meaning,
      tier: this.tier,
      notify,
    });
  }

  /** An engineer's fix: their note stays internal; the requester hears the public note or a plain line. */
  *resolvedByEngineer(event: Extract<TicketEvent, { kind: 'resolved' }>, step: string) {
    this.sla = pauseClock(this.sla, this.now(), this.hours);
    this.waitingInPsa = false;
    this.advance('resolved');
    const where = event.source === 'psa' ? ' in the PSA' : '';
    yield* this.outcome(
      'resolved_by_engineer',
      step,
      `Resolved by ${event.by}${where}.`,
      event.note,
      event.source === 'psa',
    );
    yield* this.mailUpdate('resolvedByEngineer', step, { text: event.publicNote });
  }

  /** The requester's yes: the guide they were sent fixed it. */
  *resolvedByRequester(step: string, summary: string) {
    this.advance('resolved');
    yield* this.outcome('resolved_confirmed', step, summary);
    yield* this.mailUpdate('resolved', step, { text: this.attempted });
  }
}
