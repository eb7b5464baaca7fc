import type { BusinessHours } from './businessHours';
import type { Classification } from './classification';

/**
 * P1 tickets and security incidents do not wait for Monday: they run on a 24x7 clock with their
 * own windows, page the on-call at once, and page again until someone records a plan.
 */
export interface P1Settings {
  /** Minutes, around the clock, until someone must have responded. */
  responseMinutes: number;
  /** Minutes, around the clock, until the ticket must be resolved. */
  resolutionMinutes: number;
  /** Minutes between pages while nobody has recorded a plan. */
  repageMinutes: number;
  /** Pages in all, the first included; after the last, the tier chain and SLA alerts carry on. */
  maxPages: number;
}

export const DEFAULT_P1: P1Settings = {
  responseMinutes: 15,
  resolutionMinutes: 240,
  repageMinutes: 15,
  maxPages: 8,
};

/** Every minute of every day counts. */
export const AROUND_THE_CLOCK: BusinessHours = {
  timeZone: 'UTC',
  days: [1, 2, 3, 4, 5, 6, 7],
  start: '00:00',
  end: '24:00',
};

export function p1SettingsFor(overrides: Partial<P1Settings> | undefined): P1Settings {
  const out = { ...DEFAULT_P1 };
  for (const key of Object.keys(DEFAULT_P1) as (keyof P1Settings)[]) {
    const v = overrides?.[key];
    // A profile typo (0, a negative, a string) must not silence the pager: keep the default.
    if (typeof v === 'number' && Number.isFinite(v) && v >= 1) out[key] = Math.floor(v);
  }
  return out;
}

/** P1 tickets and security incidents, whatever their priority came out as, run around the clock. */
export function runsAroundTheClock(classification: Pick<Classification, 'priority' | 'reasons'>): boolean {
  return (
    classification.priority === 'P1' || classification.reasons.some((r) => /\bsecurity incident\b/.test(r))
  );
}
