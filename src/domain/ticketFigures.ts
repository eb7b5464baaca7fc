/**
 * What one ticket contributes to a client's figures, worked out from its summary at query time
 * (the reopen window and the SLA's response deadline depend on the query's now; business time on
 * the client's current hours).
 */
import type { ResolvedBy, TicketOutcomes } from './outcomes';

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
