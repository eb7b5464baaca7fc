import { addBusinessTime, type BusinessHours, businessTimeBetween } from './businessHours';

export type SlaTier = 'premium' | 'standard' | 'basic';

const MINUTE = 60_000;

/** Response and resolution windows in business time, per SLA tier. */
export const SLA_POLICIES: Record<SlaTier, { responseMs: number; resolutionMs: number }> = {
  premium: { responseMs: 30 * MINUTE, resolutionMs: 120 * MINUTE },
  standard: { responseMs: 60 * MINUTE, resolutionMs: 240 * MINUTE },
  basic: { responseMs: 240 * MINUTE, resolutionMs: 960 * MINUTE },
};

export const SLA_WARNING_FRACTION = 0.75;

/**
 * The resolution clock of one ticket: a budget of business time that runs while the ticket is
 * with us and stops while we wait on the requester.
 */
export interface SlaClock {
  budgetMs: number;
  usedMs: number;
  /** ISO instant the clock last started; absent while paused. */
  runningSince?: string;
  warned: boolean;
  breached: boolean;
}

export interface SlaView {
  tier: SlaTier;
  responseDue: string;
  respondedAt?: string;
  resolutionDue?: string;
  /** P1 and security incidents: the windows count every hour of every day. */
  aroundTheClock?: boolean;
  paused: boolean;
  warned: boolean;
  breached: boolean;
}

/** A fresh resolution clock: the tier's budget, or the P1 window when given. */
export function startClock(tier: SlaTier, at: number, budgetMs = SLA_POLICIES[tier].resolutionMs): SlaClock {
  return {
    budgetMs,
    usedMs: 0,
    runningSince: new Date(at).toISOString(),
    warned: false,
    breached: false,
  };
}

export function pauseClock(clock: SlaClock, at: number, hours: BusinessHours): SlaClock {
  if (!clock.runningSince) return clock;
  const used = clock.usedMs + businessTimeBetween(Date.parse(clock.runningSince), at, hours);
  return { ...clock, usedMs: used, runningSince: undefined };
}

export function resumeClock(clock: SlaClock, at: number): SlaClock {
  return clock.runningSince ? clock : { ...clock, runningSince: new Date(at).toISOString() };
}

/** When the clock, if left running, reaches `fraction` of its budget. */
export function clockReaches(clock: SlaClock, fraction: number, hours: BusinessHours): number | undefined {
  if (!clock.runningSince) return undefined;
  const left = Math.max(0, clock.budgetMs * fraction - clock.usedMs);
  return addBusinessTime(Date.parse(clock.runningSince), left, hours);
}

/**
 * What a ticket's records show of its SLA: the response window from when it was received (for a
 * P1 or a security incident, `aroundTheClock`'s minutes of every day), and the resolution clock.
 */
export function slaViewOf(
  tier: SlaTier,
  receivedAt: number,
  clock: SlaClock,
  hours: BusinessHours,
  aroundTheClock?: { responseMinutes: number },
): SlaView {
  return {
    tier,
    responseDue: new Date(
      aroundTheClock
        ? receivedAt + aroundTheClock.responseMinutes * MINUTE
        : responseDue(tier, receivedAt, hours),
    ).toISOString(),
    respondedAt: new Date(receivedAt).toISOString(),
    resolutionDue: isoOrUndefined(clockReaches(clock, 1, hours)),
    ...(aroundTheClock ? { aroundTheClock: true } : {}),
    paused: !clock.runningSince,
    warned: clock.warned,
    breached: clock.breached,
  };
}

export function isoOrUndefined(t: number | undefined): string | undefined {
  return t === undefined ? undefined : new Date(t).toISOString();
}

export function responseDue(tier: SlaTier, receivedAt: number, hours: BusinessHours): number {
  return addBusinessTime(receivedAt, SLA_POLICIES[tier].responseMs, hours);
}
