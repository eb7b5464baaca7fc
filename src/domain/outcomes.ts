/**
 * Outcome events (what happened to each ticket, once per step), the interruptions and self-service
 * deflections counted beside them, and the per-ticket summary the events fold into as they arrive:
 * storage keeps the summaries up to date so that a metrics query reads one small row per ticket
 * and never replays a ticket's history.
 */

export type ResolvedBy = 'requester' | 'engineer' | 'silence';

/** One step of a ticket's life that matters for its outcome. */
export type OutcomeFact =
  | { kind: 'received'; channel: string }
  | { kind: 'acknowledged' }
  | { kind: 'classified'; category: string; priority: string; tier: number; route: 'auto' | 'escalate' }
  | { kind: 'playbook'; result: 'guide_sent' | 'stopped'; articleId?: string; reason?: string }
  /** A message that answers the request: automation's guide, or a person's public reply or fix. */
  | { kind: 'responded'; by: 'automation' | 'person'; via: 'guide' | 'plan' | 'resolution' }
  | { kind: 'answered'; answer: 'yes' | 'no' | 'unclear' | 'silence' }
  | { kind: 'plan'; tier: number }
  /** `cycle`: how many times the ticket had been reopened when this happened. */
  | { kind: 'resolved'; by: ResolvedBy; cycle: number }
  | { kind: 'escalated'; tier: number; reason: string; cycle: number }
  | { kind: 'handed_up'; tier: number }
  | { kind: 'sla_warning' }
  | { kind: 'sla_breach' }
  | { kind: 'reopened'; reopens: number }
  /** The reopen window passed after a resolution: the outcome is final. */
  | { kind: 'closed' }
  | { kind: 'rated'; score: number; comment?: string };

export type OutcomeKind = OutcomeFact['kind'];

export interface OutcomeEnvelope {
  clientId: string;
  ticketId: string;
  /** When the ticket was received: tickets are counted, and their summaries kept, in this order. */
  receivedAt: string;
  /** Unique per ticket: a step recorded twice (a retried activity) is one event. */
  step: string;
  /** When it happened: the orchestration's time (or the app clock for a click), never a guess. */
  at: string;
  /** The SLA's response deadline, from steps that know it. */
  responseDue?: string;
}

export type OutcomeEvent = OutcomeEnvelope & OutcomeFact;

/** An alert or page that reached a person (through their tier's or the on-call's channels). */
export interface Interruption {
  clientId: string;
  ticketId: string;
  /** The notification's key: unique per ticket and occasion. */
  key: string;
  at: string;
  /** The notification kind (`escalation`, `tier_handoff`, `p1_page`...). */
  kind: string;
  tier: number;
  audience?: 'oncall';
}

/**
 * Notifications that interrupt an engineer about a ticket. Operator alerts (poison queues, stuck
 * workflows) are about autotier itself and are counted by the ops view, not here.
 */
export const INTERRUPTION_KINDS: ReadonlySet<string> = new Set([
  'escalation',
  'tier_handoff',
  'tier_limit_passed',
  'sla_warning',
  'sla_breach',
  'requester_reply',
  'reopened',
  'mail_undelivered',
  'p1_page',
]);

/** A requester who found the answer on the portal and filed nothing: counted apart from tickets. */
export interface SelfServiceDeflection {
  clientId: string;
  /** Unique per occasion (a portal session and article), so a retry counts once. */
  key: string;
  at: string;
  articleId?: string;
}

interface Stepped {
  step: string;
  at: string;
}

/** Everything the metrics need about one ticket, kept up to date as its outcome events arrive. */
export interface TicketOutcomes {
  ticketId: string;
  clientId: string;
  receivedAt: string;
  channel?: string;
  category?: string;
  priority?: string;
  route?: 'auto' | 'escalate';
  acknowledgedAt?: string;
  responseDue?: string;
  firstResponseAt?: string;
  firstResponseBy?: 'automation' | 'person';
  guideArticleId?: string;
  playbookStopped?: string;
  answer?: { answer: string; at: string };
  firstPlanAt?: string;
  escalations: (Stepped & { tier: number; reason: string; cycle: number })[];
  handoffs: (Stepped & { tier: number })[];
  resolutions: (Stepped & { by: ResolvedBy; cycle: number })[];
  reopens: (Stepped & { n: number })[];
  closedAt?: string;
  slaWarnedAt?: string;
  slaBreachedAt?: string;
  rating?: { score: number; at: string; comment?: string };
}

/** A ticket row stays small whatever happens to the ticket. */
const MAX_ENTRIES = 50;
const MAX_REASON = 300;
export const MAX_RATING_COMMENT = 2000;

const earliest = (a: string | undefined, b: string) => (a === undefined || b < a ? b : a);
const latest = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);

/** Replaces the entry of the same step (a retry), keeps time order, and stays bounded. */
function withStep<T extends Stepped>(entries: T[], entry: T): T[] {
  const out = entries.filter((e) => e.step !== entry.step);
  out.push(entry);
  out.sort((a, b) => (a.at === b.at ? a.step.localeCompare(b.step) : a.at < b.at ? -1 : 1));
  return out.slice(-MAX_ENTRIES);
}

export function emptySummary(
  e: Pick<OutcomeEnvelope, 'clientId' | 'ticketId' | 'receivedAt'>,
): TicketOutcomes {
  return {
    ticketId: e.ticketId,
    clientId: e.clientId,
    receivedAt: e.receivedAt,
    escalations: [],
    handoffs: [],
    resolutions: [],
    reopens: [],
  };
}

/**
 * Folds one outcome event into a ticket's summary. Applying the same event again changes nothing,
 * and the order of events does not matter (earliest and latest are kept by time), so a retried
 * activity or a rating that races the workflow cannot skew a figure.
 */
export function applyOutcome(summary: TicketOutcomes | undefined, event: OutcomeEvent): TicketOutcomes {
  const s: TicketOutcomes = summary ? structuredClone(summary) : emptySummary(event);
  if (event.responseDue) s.responseDue ??= event.responseDue;
  const { step, at } = event;
  switch (event.kind) {
    case 'received':
      s.channel = event.channel;
      break;
    case 'acknowledged':
      s.acknowledgedAt = earliest(s.acknowledgedAt, at);
      break;
    case 'classified':
      s.category = event.category;
      s.priority = event.priority;
      s.route = event.route;
      break;
    case 'playbook':
      if (event.result === 'guide_sent' && event.articleId) s.guideArticleId ??= event.articleId;
      if (event.result === 'stopped') s.playbookStopped ??= (event.reason ?? '').slice(0, MAX_REASON);
      break;
    case 'responded':
      if (s.firstResponseAt === undefined || at < s.firstResponseAt) {
        s.firstResponseAt = at;
        s.firstResponseBy = event.by;
      }
      break;
    case 'answered':
      if (!s.answer || at < s.answer.at) s.answer = { answer: event.answer, at };
      break;
    case 'plan':
      s.firstPlanAt = earliest(s.firstPlanAt, at);
      break;
    case 'resolved':
      s.resolutions = withStep(s.resolutions, { step, at, by: event.by, cycle: event.cycle });
      break;
    case 'escalated':
      s.escalations = withStep(s.escalations, {
        step,
        at,
        tier: event.tier,
        reason: event.reason.slice(0, MAX_REASON),
        cycle: event.cycle,
      });
      break;
    case 'handed_up':
      s.handoffs = withStep(s.handoffs, { step, at, tier: event.tier });
      break;
    case 'sla_warning':
      s.slaWarnedAt = earliest(s.slaWarnedAt, at);
      break;
    case 'sla_breach':
      s.slaBreachedAt = earliest(s.slaBreachedAt, at);
      break;
    case 'reopened':
      s.reopens = withStep(s.reopens, { step, at, n: event.reopens });
      break;
    case 'closed':
      s.closedAt = latest(s.closedAt, at);
      break;
    case 'rated':
      if (!s.rating || at >= s.rating.at)
        s.rating = {
          score: event.score,
          at,
          ...(event.comment ? { comment: event.comment.slice(0, MAX_RATING_COMMENT) } : {}),
        };
      break;
  }
  return s;
}
