/** The range of a metrics query: `from` inclusive, `to` exclusive, ISO 8601, errors naming the field. */
const DAY = 24 * 60 * 60_000;

/** The default range of a metrics query: the last 30 days. */
export const DEFAULT_RANGE_MS = 30 * DAY;
/** Longer ranges are refused: a quarterly or yearly review fits, a scan of everything does not. */
export const MAX_RANGE_MS = 731 * DAY;

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
