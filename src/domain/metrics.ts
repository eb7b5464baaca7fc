/**
 * Outcome measurement: what happened to each ticket (outcome events), the per-ticket summary they
 * fold into as they arrive, and the figures a client's metrics are made of. Pure: the summaries
 * and interruptions come in, the figures go out; storage keeps the summaries up to date so that
 * a query reads one small row per ticket and never replays a ticket's history.
 */
import { businessCalendar, type BusinessHours, businessTimeBetween } from './businessHours';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A re-page of the same ticket within this long of the page that was counted is the same interruption. */
export const REPAGE_COUNTS_ONCE_MS = 30 * MINUTE;
/** The default range of a metrics query: the last 30 days. */
export const DEFAULT_RANGE_MS = 30 * DAY;
/** Longer ranges are refused: a quarterly or yearly review fits, a scan of everything does not. */
export const MAX_RANGE_MS = 731 * DAY;

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

/**
 * How a ticket ended, one answer each (for stacked charts): deflected (verified), a person was
 * involved (escalated or an engineer's fix), closed after no answer, confirmed but inside the
 * reopen window, or still open.
 */
export type Ending = 'deflected' | 'engineer' | 'no_answer' | 'awaiting_window' | 'open';

/** What one ticket contributes to the figures. */
export interface TicketFigures {
  ticketId: string;
  receivedAt: number;
  category: string;
  escalated: boolean;
  /** Automation resolved it and the requester said so, before any person was involved. */
  confirmed: boolean;
  /** Closed after the requester went quiet: never counted as deflected. */
  unconfirmed: boolean;
  reopened: boolean;
  /** Confirmed, not reopened, and the reopen window is over: the honest deflection. */
  verified: boolean;
  /** Confirmed and not reopened yet, but still inside the reopen window. */
  awaitingReopenWindow: boolean;
  /** Who resolved it in the end (undefined while it is open). */
  resolvedBy?: ResolvedBy;
  ending: Ending;
  acknowledgementMs?: number;
  firstResponseMs?: number;
  resolutionMs?: number;
  escalationHandleMs: number[];
  acknowledgementBusinessMs?: number;
  firstResponseBusinessMs?: number;
  resolutionBusinessMs?: number;
  escalationHandleBusinessMs: number[];
  responseBreached: boolean;
  resolutionBreached: boolean;
  rating?: number;
}

/** Business time between two instants in the client's hours (`businessTimeBetween`, or a calendar of it). */
export type BusinessTime = (from: number, to: number) => number;

export function ticketFigures(s: TicketOutcomes, businessTime: BusinessTime, now: number): TicketFigures {
  const received = Date.parse(s.receivedAt);
  const wall = (at: string | undefined) =>
    at === undefined ? undefined : Math.max(0, Date.parse(at) - received);
  const business = (at: string | undefined) =>
    at === undefined ? undefined : businessTime(received, Date.parse(at));
  const firstCycle = s.resolutions.filter((r) => r.cycle === 0)[0];
  const escalatedInFirstCycle = s.escalations.some((e) => e.cycle === 0);
  const confirmed = firstCycle?.by === 'requester' && !escalatedInFirstCycle;
  const reopened = s.reopens.length > 0;
  const cycles = s.reopens.reduce((n, r) => Math.max(n, r.n), 0);
  // The ticket is resolved if the latest cycle (after the last reopen) has a resolution.
  const current = s.resolutions.filter((r) => r.cycle >= cycles).at(-1);
  const handles = [...new Set(s.escalations.map((e) => e.cycle))].flatMap((cycle) => {
    const escalatedAt = s.escalations.find((e) => e.cycle === cycle)?.at;
    const resolvedAt = s.resolutions.find((r) => r.cycle === cycle && escalatedAt && r.at >= escalatedAt)?.at;
    return escalatedAt && resolvedAt ? [[escalatedAt, resolvedAt] as const] : [];
  });
  const escalated = s.escalations.length > 0;
  const verified = confirmed && !reopened && s.closedAt !== undefined;
  const unconfirmed = firstCycle?.by === 'silence' && !escalatedInFirstCycle;
  const ending: Ending = verified
    ? 'deflected'
    : escalated || current?.by === 'engineer'
      ? 'engineer'
      : unconfirmed
        ? 'no_answer'
        : confirmed && !reopened
          ? 'awaiting_window'
          : 'open';
  const responseDue = s.responseDue === undefined ? undefined : Date.parse(s.responseDue);
  const responseBreached =
    responseDue !== undefined &&
    (s.firstResponseAt === undefined ? now > responseDue : Date.parse(s.firstResponseAt) > responseDue);
  return {
    ticketId: s.ticketId,
    receivedAt: received,
    category: s.category ?? 'unclassified',
    escalated,
    confirmed,
    unconfirmed,
    reopened,
    verified,
    awaitingReopenWindow: confirmed && !reopened && s.closedAt === undefined,
    resolvedBy: current?.by,
    ending,
    acknowledgementMs: wall(s.acknowledgedAt),
    firstResponseMs: wall(s.firstResponseAt),
    resolutionMs: wall(current?.at),
    escalationHandleMs: handles.map(([a, b]) => Date.parse(b) - Date.parse(a)),
    acknowledgementBusinessMs: business(s.acknowledgedAt),
    firstResponseBusinessMs: business(s.firstResponseAt),
    resolutionBusinessMs: business(current?.at),
    escalationHandleBusinessMs: handles.map(([a, b]) => businessTime(Date.parse(a), Date.parse(b))),
    responseBreached,
    resolutionBreached: s.slaBreachedAt !== undefined,
    rating: s.rating?.score,
  };
}

/** Nearest-rank percentile: always a value that was observed; null when there is none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

const percentiles = (values: (number | undefined)[]): Percentiles => {
  const present = values.filter((v): v is number => v !== undefined);
  return { p50: percentile(present, 50), p95: percentile(present, 95) };
};

/** Fractions are rounded to four places: 0.3, not 0.30000000000000004. */
const fraction = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The interruptions that count: a re-page of the same ticket within 30 minutes of the page that
 * was counted is the same interruption (the person is already on it or already woken).
 */
export function countedInterruptions(interruptions: Interruption[]): Interruption[] {
  const sorted = [...interruptions].sort((a, b) =>
    a.at === b.at ? a.key.localeCompare(b.key) : a.at < b.at ? -1 : 1,
  );
  const lastCountedPage = new Map<string, number>();
  const seen = new Set<string>();
  const out: Interruption[] = [];
  for (const i of sorted) {
    const id = `${i.ticketId}|${i.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (i.kind === 'p1_page') {
      const at = Date.parse(i.at);
      const last = lastCountedPage.get(i.ticketId);
      if (last !== undefined && at - last < REPAGE_COUNTS_ONCE_MS) continue;
      lastCountedPage.set(i.ticketId, at);
    }
    out.push(i);
  }
  return out;
}

/** `1`, `2`, `3` for a tier's engineers; `oncall` for pages to whoever is on call. */
export function tierKeyOf(i: Pick<Interruption, 'tier' | 'audience'>): string {
  if (i.audience === 'oncall') return 'oncall';
  return String(Math.min(3, Math.max(1, Math.trunc(i.tier) || 1)));
}

/** The Monday (UTC) of the week an instant falls in, as YYYY-MM-DD. */
export function weekOf(t: number): string {
  const d = new Date(t);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - sinceMonday))
    .toISOString()
    .slice(0, 10);
}

/** How long one working day of the client's business hours is. */
function workingDayMs(hours: BusinessHours): number {
  const [sh = 0, sm = 0] = hours.start.split(':').map(Number);
  const [eh = 0, em = 0] = hours.end.split(':').map(Number);
  return ((eh * 60 + em - (sh * 60 + sm) + 24 * 60) % (24 * 60) || 24 * 60) * MINUTE;
}

/**
 * How many of the client's working days a range holds (business time over the length of a working
 * day); `businessTime` spares working out the client's calendar again when the caller has one.
 */
export function workingDays(
  from: number,
  to: number,
  hours: BusinessHours,
  businessTime: BusinessTime = (a, b) => businessTimeBetween(a, b, hours),
): number {
  return businessTime(from, to) / workingDayMs(hours);
}

export interface CategoryFigures {
  tickets: number;
  /** Verified deflections (a count). */
  deflected: number;
  confirmed: number;
  unconfirmed: number;
  escalated: number;
}

export interface WeekFigures {
  /** The Monday (UTC) the week starts. */
  week: string;
  tickets: number;
  /** Verified deflections over the week's tickets (0..1). */
  verifiedDeflection: number;
  verified: number;
  confirmed: number;
  unconfirmed: number;
  reopened: number;
  escalated: number;
  firstResponseP50Ms: number | null;
  resolutionP50Ms: number | null;
  engineerInterruptions: number;
  csatResponses: number;
  csatAverage: number | null;
  /** Each ticket of the week counted once, by how it ended. */
  endings: Record<Ending, number>;
  byCategory: Record<string, CategoryFigures>;
}

export interface ClientMetrics {
  clientId: string;
  from: string;
  to: string;
  /** Tickets received in [from, to). */
  tickets: number;
  deflection: {
    /** Verified deflections over all tickets (0..1). */
    verified: number;
    verifiedCount: number;
    confirmed: number;
    unconfirmed: number;
    reopened: number;
    awaitingReopenWindow: number;
  };
  resolvedBy: Record<ResolvedBy, number>;
  open: number;
  escalated: number;
  acknowledgementMs: Percentiles;
  firstResponseMs: Percentiles;
  resolutionMs: Percentiles;
  escalationHandleMs: Percentiles;
  acknowledgementBusinessMs: Percentiles;
  firstResponseBusinessMs: Percentiles;
  resolutionBusinessMs: Percentiles;
  escalationHandleBusinessMs: Percentiles;
  /** Tickets reopened at least once over all tickets (0..1). */
  reopenRate: number;
  csat: { responses: number; average: number | null; scores: Record<'1' | '2' | '3' | '4' | '5', number> };
  /** Alerts and pages that reached a person in [from, to), re-pages within 30 minutes counted once. */
  engineerInterruptions: number;
  /** Per working day of the client's business hours in the range; null when the range holds none. */
  engineerInterruptionsPerDay: number | null;
  byTier: Record<string, { interruptions: number; interruptionsPerDay: number | null }>;
  slaBreaches: { response: number; resolution: number };
  selfServiceDeflections: number;
  byCategory: Record<string, CategoryFigures>;
  weekly: WeekFigures[];
}

export interface MetricsInput {
  clientId: string;
  from: number;
  to: number;
  now: number;
  hours: BusinessHours;
  /** The summaries of the tickets received in [from, to). */
  summaries: TicketOutcomes[];
  /** The interruptions that happened in [from, to). */
  interruptions: Interruption[];
  selfServiceDeflections: number;
}

function byCategoryOf(figures: TicketFigures[]): Record<string, CategoryFigures> {
  const out: Record<string, CategoryFigures> = {};
  for (const f of figures) {
    const c = (out[f.category] ??= { tickets: 0, deflected: 0, confirmed: 0, unconfirmed: 0, escalated: 0 });
    c.tickets++;
    if (f.verified) c.deflected++;
    if (f.confirmed) c.confirmed++;
    if (f.unconfirmed) c.unconfirmed++;
    if (f.escalated) c.escalated++;
  }
  return out;
}

function csatOf(figures: TicketFigures[]) {
  const ratings = figures.map((f) => f.rating).filter((r): r is number => r !== undefined);
  const scores = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const r of ratings) scores[String(r) as keyof typeof scores]++;
  return {
    responses: ratings.length,
    average: ratings.length ? round2(ratings.reduce((a, b) => a + b, 0) / ratings.length) : null,
    scores,
  };
}

export function computeMetrics(input: MetricsInput): ClientMetrics {
  const inRange = (t: number) => t >= input.from && t < input.to;
  // Tickets are received in the range and their events happen by now: one calendar covers them.
  const businessTime = businessCalendar(input.from - DAY, Math.max(input.to, input.now) + DAY, input.hours);
  const figures = input.summaries
    .filter((s) => s.clientId === input.clientId && inRange(Date.parse(s.receivedAt)))
    .map((s) => ticketFigures(s, businessTime, input.now));
  const interruptions = countedInterruptions(
    input.interruptions.filter((i) => i.clientId === input.clientId && inRange(Date.parse(i.at))),
  );
  const days = workingDays(input.from, input.to, input.hours, businessTime);
  const perDay = (n: number) => (days > 0 ? round2(n / days) : null);
  const count = (pick: (f: TicketFigures) => boolean) => figures.filter(pick).length;

  const byTier: ClientMetrics['byTier'] = {};
  for (const key of ['1', '2', '3', 'oncall']) {
    const n = interruptions.filter((i) => tierKeyOf(i) === key).length;
    byTier[key] = { interruptions: n, interruptionsPerDay: perDay(n) };
  }

  // Each ticket and interruption is placed in its week once: a year is 53 weeks of thousands.
  const weeks = new Map<string, TicketFigures[]>();
  const interruptionsByWeek = new Map<string, number>();
  for (let t = Date.parse(weekOf(input.from)); t < input.to; t += 7 * DAY) weeks.set(weekOf(t), []);
  for (const f of figures) weeks.get(weekOf(f.receivedAt))?.push(f);
  for (const i of interruptions) {
    const week = weekOf(Date.parse(i.at));
    interruptionsByWeek.set(week, (interruptionsByWeek.get(week) ?? 0) + 1);
  }
  const weekly = [...weeks].map(([week, fs]): WeekFigures => {
    const verified = fs.filter((f) => f.verified).length;
    const csat = csatOf(fs);
    return {
      week,
      tickets: fs.length,
      verifiedDeflection: fraction(verified, fs.length),
      verified,
      confirmed: fs.filter((f) => f.confirmed).length,
      unconfirmed: fs.filter((f) => f.unconfirmed).length,
      reopened: fs.filter((f) => f.reopened).length,
      escalated: fs.filter((f) => f.escalated).length,
      firstResponseP50Ms: percentile(
        fs.map((f) => f.firstResponseMs).filter((v): v is number => v !== undefined),
        50,
      ),
      resolutionP50Ms: percentile(
        fs.map((f) => f.resolutionMs).filter((v): v is number => v !== undefined),
        50,
      ),
      engineerInterruptions: interruptionsByWeek.get(week) ?? 0,
      csatResponses: csat.responses,
      csatAverage: csat.average,
      endings: {
        deflected: fs.filter((f) => f.ending === 'deflected').length,
        engineer: fs.filter((f) => f.ending === 'engineer').length,
        no_answer: fs.filter((f) => f.ending === 'no_answer').length,
        awaiting_window: fs.filter((f) => f.ending === 'awaiting_window').length,
        open: fs.filter((f) => f.ending === 'open').length,
      },
      byCategory: byCategoryOf(fs),
    };
  });

  const verifiedCount = count((f) => f.verified);
  return {
    clientId: input.clientId,
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    tickets: figures.length,
    deflection: {
      verified: fraction(verifiedCount, figures.length),
      verifiedCount,
      confirmed: count((f) => f.confirmed),
      unconfirmed: count((f) => f.unconfirmed),
      reopened: count((f) => f.confirmed && f.reopened),
      awaitingReopenWindow: count((f) => f.awaitingReopenWindow),
    },
    resolvedBy: {
      requester: count((f) => f.resolvedBy === 'requester'),
      engineer: count((f) => f.resolvedBy === 'engineer'),
      silence: count((f) => f.resolvedBy === 'silence'),
    },
    open: count((f) => f.resolvedBy === undefined),
    escalated: count((f) => f.escalated),
    acknowledgementMs: percentiles(figures.map((f) => f.acknowledgementMs)),
    firstResponseMs: percentiles(figures.map((f) => f.firstResponseMs)),
    resolutionMs: percentiles(figures.map((f) => f.resolutionMs)),
    escalationHandleMs: percentiles(figures.flatMap((f) => f.escalationHandleMs)),
    acknowledgementBusinessMs: percentiles(figures.map((f) => f.acknowledgementBusinessMs)),
    firstResponseBusinessMs: percentiles(figures.map((f) => f.firstResponseBusinessMs)),
    resolutionBusinessMs: percentiles(figures.map((f) => f.resolutionBusinessMs)),
    escalationHandleBusinessMs: percentiles(figures.flatMap((f) => f.escalationHandleBusinessMs)),
    reopenRate: fraction(
      count((f) => f.reopened),
      figures.length,
    ),
    csat: csatOf(figures),
    engineerInterruptions: interruptions.length,
    engineerInterruptionsPerDay: perDay(interruptions.length),
    byTier,
    slaBreaches: {
      response: count((f) => f.responseBreached),
      resolution: count((f) => f.resolutionBreached),
    },
    selfServiceDeflections: input.selfServiceDeflections,
    byCategory: byCategoryOf(figures),
    weekly,
  };
}

export type RangeResult = { ok: true; from: number; to: number } | { ok: false; error: string };

/** ISO 8601: a date, or a date and time with seconds optional and a zone (Z or an offset). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function instant(text: string): number | undefined {
  if (!ISO_8601.test(text)) return undefined;
  const date = text.slice(0, 10);
  const day = Date.parse(`${date}T00:00:00Z`);
  // Date.parse rolls 2026-02-31 over to March 3: a date must read back as itself.
  if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) return undefined;
  const t = text.length === 10 ? day : Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * A metrics range from `from` (inclusive) and `to` (exclusive); either may be left out: `to`
 * defaults to now and `from` to 30 days before `to`. Errors name the field.
 */
export function parseRange(
  fromText: string | undefined,
  toText: string | undefined,
  now: number,
): RangeResult {
  const example = 'an ISO 8601 date or time, e.g. 2026-03-01 or 2026-03-01T09:00:00Z';
  let to = now;
  if (toText !== undefined && toText !== '') {
    const t = instant(toText);
    if (t === undefined) return { ok: false, error: `to: must be ${example}` };
    to = t;
  }
  let from = to - DEFAULT_RANGE_MS;
  if (fromText !== undefined && fromText !== '') {
    const f = instant(fromText);
    if (f === undefined) return { ok: false, error: `from: must be ${example}` };
    from = f;
  }
  if (from >= to) return { ok: false, error: 'to: must be after from' };
  if (to - from > MAX_RANGE_MS) return { ok: false, error: 'to: the range may span at most 731 days' };
  return { ok: true, from, to };
}
