/**
 * Business-time arithmetic in a client's time zone: SLA windows count only working hours.
 * Pure and deterministic (Intl only), so orchestrators may call it.
 */
export interface BusinessHours {
  timeZone: string;
  /** ISO weekdays: 1 = Monday ... 7 = Sunday. */
  days: number[];
  /** "HH:MM", local time. */
  start: string;
  end: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  minutes: number; // minutes since local midnight
  weekday: number; // 1..7
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function localParts(t: number, timeZone: string): LocalParts & { seconds: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    seconds: Number(parts.second) + (t % 1000) / 1000,
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 1,
  };
}

/** The UTC instant of a local wall-clock time (the first one, across a DST change). */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day, 0, minutes);
  let guess = naive;
  for (let i = 0; i < 3; i++) {
    const p = localParts(guess, timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, 0, p.minutes) + Math.floor(p.seconds) * 1000;
    guess = naive - (asUtc - guess);
  }
  return guess;
}

const toMinutes = (hhmm: string) => {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};

/** The business window (start, end) of the local day containing `t`, or undefined on a day off. */
function windowOfDay(t: number, hours: BusinessHours): { start: number; end: number } | undefined {
  const p = localParts(t, hours.timeZone);
  if (!hours.days.includes(p.weekday)) return undefined;
  return {
    start: instantOf(p.year, p.month, p.day, toMinutes(hours.start), hours.timeZone),
    end: instantOf(p.year, p.month, p.day, toMinutes(hours.end), hours.timeZone),
  };
}

function nextLocalMidnight(t: number, timeZone: string): number {
  const p = localParts(t, timeZone);
  const tomorrow = new Date(Date.UTC(p.year, p.month - 1, p.day) + DAY);
  return instantOf(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), 0, timeZone);
}

/** Adds `ms` of business time to `from`; the result is a wall-clock instant. */
export function addBusinessTime(from: number, ms: number, hours: BusinessHours): number {
  let cursor = from;
  let remaining = ms;
  for (let guard = 0; guard < 3660; guard++) {
    const w = windowOfDay(cursor, hours);
    if (w && cursor < w.end) {
      const start = Math.max(cursor, w.start);
      if (remaining <= w.end - start) return start + remaining;
      remaining -= w.end - start;
    }
    cursor = nextLocalMidnight(cursor, hours.timeZone);
  }
  throw new Error('business hours never open; check the client profile');
}

/** Business time elapsed between two instants. */
export function businessTimeBetween(from: number, to: number, hours: BusinessHours): number {
  let total = 0;
  let cursor = from;
  for (let guard = 0; cursor < to && guard < 3660; guard++) {
    const w = windowOfDay(cursor, hours);
    if (w) total += Math.max(0, Math.min(w.end, to) - Math.max(w.start, cursor));
    cursor = nextLocalMidnight(cursor, hours.timeZone);
  }
  return total;
}

export function isBusinessTime(t: number, hours: BusinessHours): boolean {
  const w = windowOfDay(t, hours);
  return !!w && t >= w.start && t < w.end;
}

/**
 * `businessTimeBetween` for many pairs of instants at once (a metrics query over thousands of
 * tickets): the business windows of [from, to) are worked out once, and each pair is then two
 * binary searches. Pairs outside [from, to] fall back to `businessTimeBetween`.
 */
export function businessCalendar(
  from: number,
  to: number,
  hours: BusinessHours,
): (a: number, b: number) => number {
  const starts: number[] = [];
  const ends: number[] = [];
  /** Business time in the calendar before window i. */
  const before: number[] = [];
  let total = 0;
  let cursor = from;
  for (let guard = 0; cursor < to && guard < 3660; guard++) {
    const w = windowOfDay(cursor, hours);
    if (w && w.end > w.start) {
      starts.push(w.start);
      ends.push(w.end);
      before.push(total);
      total += w.end - w.start;
    }
    cursor = nextLocalMidnight(cursor, hours.timeZone);
  }
  const upTo = (t: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? Infinity) <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return 0;
    return (before[found] ?? 0) + Math.min(t, ends[found] ?? t) - (starts[found] ?? t);
  };
  return (a, b) => {
    if (b <= a) return 0;
    if (a < from || b > to) return businessTimeBetween(a, b, hours);
    return upTo(b) - upTo(a);
  };
}
