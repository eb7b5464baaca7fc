/**
 * A client's outcome figures: deflection, response and resolution times, reopens, satisfaction,
 * interruptions, by category and by week. Pure: the per-ticket summaries and the interruptions of
 * the range come in (`./outcomes`), each ticket's figures are worked out (`./ticketFigures`), and
 * the aggregate goes out.
 */
import { businessCalendar, type BusinessHours, businessTimeBetween } from './businessHours';
import type { Interruption, ResolvedBy, TicketOutcomes } from './outcomes';
import { type BusinessTime, type Ending, type TicketFigures, ticketFigures } from './ticketFigures';

// Outcome events, ticket figures and the query's range live in their own modules; they are
// re-exported so that callers keep one import for the metrics.
export * from './metricsRange';
export * from './outcomes';
export * from './ticketFigures';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A re-page of the same ticket within this long of the page that was counted is the same interruption. */
export const REPAGE_COUNTS_ONCE_MS = 30 * MINUTE;

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
