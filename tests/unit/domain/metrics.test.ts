import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  applyOutcome,
  computeMetrics,
  countedInterruptions,
  type Interruption,
  type OutcomeEvent,
  type OutcomeFact,
  parseRange,
  percentile,
  type TicketOutcomes,
  weekOf,
  workingDays,
} from '../../../src/domain/metrics';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const LONDON = { timeZone: 'Europe/London', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };
/** Monday 2 March 2026, 10:00 in London (GMT). */
const T0 = Date.parse('2026-03-02T10:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

/** A ticket's summary from its outcome events, as the outcome log folds them. */
function ticket(n: number, receivedAt: number, steps: [number, OutcomeFact, string?][]): TicketOutcomes {
  let s: TicketOutcomes | undefined;
  const base = { clientId: 'acme', ticketId: `T-${1000 + n}`, receivedAt: iso(receivedAt) };
  const events: OutcomeEvent[] = [
    { ...base, step: 'received', at: iso(receivedAt), kind: 'received', channel: 'api' },
    ...steps.map(([after, fact, step], i): OutcomeEvent => ({
      ...base,
      step: step ?? `${fact.kind}-${i}`,
      at: iso(receivedAt + after),
      responseDue: iso(receivedAt + HOUR),
      ...fact,
    })),
  ];
  for (const e of events) s = applyOutcome(s, e);
  return s as TicketOutcomes;
}

const ack: OutcomeFact = { kind: 'acknowledged' };
const guide: OutcomeFact = { kind: 'responded', by: 'automation', via: 'guide' };
const classified = (category: string): OutcomeFact => ({
  kind: 'classified',
  category,
  priority: 'P3',
  tier: 1,
  route: category === 'engineering' ? 'escalate' : 'auto',
});
const resolved = (by: 'requester' | 'engineer' | 'silence', cycle = 0): OutcomeFact => ({
  kind: 'resolved',
  by,
  cycle,
});
const escalated = (cycle = 0, tier = 1): OutcomeFact => ({ kind: 'escalated', tier, reason: 'r', cycle });

/**
 * Ten tickets with known outcomes: 4 confirmed by the requester (1 of them reopened), 2 closed
 * after silence, 3 escalated and resolved by an engineer, 1 still open.
 */
function tenTickets(): TicketOutcomes[] {
  const t = (i: number) => T0 + i * DAY;
  const confirmed = (i: number, respondAfter: number) =>
    ticket(i, t(i), [
      [1000, ack],
      [2000, classified('printer_peripheral')],
      [respondAfter, guide],
      [30 * MIN, { kind: 'answered', answer: 'yes' }],
      [30 * MIN, resolved('requester')],
      [30 * MIN + 7 * DAY, { kind: 'closed' }],
      [31 * MIN, { kind: 'rated', score: 5 }],
    ]);
  return [
    confirmed(0, 3000),
    confirmed(1, 3000),
    confirmed(2, 4000),
    ticket(3, t(3), [
      [1000, ack],
      [2000, classified('printer_peripheral')],
      [5000, guide],
      [30 * MIN, resolved('requester')],
      [2 * DAY, { kind: 'reopened', reopens: 1 }],
      [2 * DAY, escalated(1)],
      [2 * DAY + 2 * HOUR, resolved('engineer', 1)],
      [2 * DAY + 2 * HOUR + 7 * DAY, { kind: 'closed' }],
      [2 * DAY + 3 * HOUR, { kind: 'rated', score: 2 }],
    ]),
    ...[4, 5].map((i) =>
      ticket(i, t(i), [
        [1000, ack],
        [2000, classified('vpn_remote_access')],
        [6000, guide],
        [48 * HOUR, { kind: 'answered', answer: 'silence' }],
        [48 * HOUR, resolved('silence')],
      ]),
    ),
    ...[6, 7, 8].map((i) =>
      ticket(i, t(i), [
        [1000, ack],
        [2000, classified('engineering')],
        [2000, escalated()],
        [i * 10 * MIN, { kind: 'responded', by: 'person', via: 'plan' }],
        [i * 10 * MIN, { kind: 'plan', tier: 1 }],
        [3 * HOUR, { kind: 'responded', by: 'person', via: 'resolution' }],
        [3 * HOUR, resolved('engineer')],
      ]),
    ),
    ticket(9, t(9), [
      [1000, ack],
      [2000, classified('engineering')],
      [2000, escalated()],
      [30 * MIN, { kind: 'handed_up', tier: 2 }],
      [3 * HOUR, { kind: 'sla_warning' }],
      [4 * HOUR, { kind: 'sla_breach' }],
    ]),
  ];
}

describe('metrics: the per-ticket summary', () => {
  it('folds each event once, whatever the order and however often it arrives', () => {
    const base = { clientId: 'acme', ticketId: 'T-1', receivedAt: iso(T0) };
    const events: OutcomeEvent[] = [
      { ...base, step: 'received', at: iso(T0), kind: 'received', channel: 'email' },
      { ...base, step: 'acknowledged', at: iso(T0 + 1000), kind: 'acknowledged' },
      {
        ...base,
        step: 'responded-playbook-1',
        at: iso(T0 + 5000),
        kind: 'responded',
        by: 'automation',
        via: 'guide',
      },
      {
        ...base,
        step: 'escalation-0-1',
        at: iso(T0 + HOUR),
        kind: 'escalated',
        tier: 1,
        reason: 'no',
        cycle: 0,
      },
      {
        ...base,
        step: 'responded-plan-0-1',
        at: iso(T0 + 2 * HOUR),
        kind: 'responded',
        by: 'person',
        via: 'plan',
      },
      {
        ...base,
        step: 'resolved-by-engineer-0',
        at: iso(T0 + 3 * HOUR),
        kind: 'resolved',
        by: 'engineer',
        cycle: 0,
      },
      { ...base, step: 'rated-a', at: iso(T0 + 4 * HOUR), kind: 'rated', score: 4, comment: 'thanks' },
    ];
    const fold = (list: OutcomeEvent[]) => list.reduce<TicketOutcomes | undefined>(applyOutcome, undefined);
    const forward = fold(events);
    assert.deepEqual(fold([...events, ...events]), forward, 'retries change nothing');
    assert.deepEqual(fold([...events].reverse()), forward, 'order changes nothing');
    assert.equal(forward?.firstResponseAt, iso(T0 + 5000));
    assert.equal(forward?.firstResponseBy, 'automation');
    assert.deepEqual(forward?.rating, { score: 4, at: iso(T0 + 4 * HOUR), comment: 'thanks' });
  });
});

describe('metrics: the figures', () => {
  const from = T0;
  const to = T0 + 35 * DAY;
  const now = T0 + 40 * DAY;
  const interruptions: Interruption[] = [
    ...[3, 6, 7, 8, 9].map((i) => ({
      clientId: 'acme',
      ticketId: `T-${1000 + i}`,
      key: 'escalation-1',
      at: iso(T0 + i * DAY + (i === 3 ? 2 * DAY : 2000)),
      kind: 'escalation',
      tier: 1,
    })),
    {
      clientId: 'acme',
      ticketId: 'T-1009',
      key: 'tier_handoff-2',
      at: iso(T0 + 9 * DAY + 30 * MIN),
      kind: 'tier_handoff',
      tier: 2,
    },
    {
      clientId: 'acme',
      ticketId: 'T-1009',
      key: 'sla_breach-3',
      at: iso(T0 + 9 * DAY + 4 * HOUR),
      kind: 'sla_breach',
      tier: 2,
    },
    { clientId: 'other', ticketId: 'T-5', key: 'escalation-1', at: iso(T0), kind: 'escalation', tier: 1 },
  ];
  const metrics = computeMetrics({
    clientId: 'acme',
    from,
    to,
    now,
    hours: LONDON,
    summaries: tenTickets(),
    interruptions,
    selfServiceDeflections: 0,
  });

  /** The figures of a few tickets alone, over the same range. */
  const figuresOf = (summaries: TicketOutcomes[]) =>
    computeMetrics({
      clientId: 'acme',
      from,
      to,
      now,
      hours: LONDON,
      summaries,
      interruptions: [],
      selfServiceDeflections: 0,
    });

  it('verified deflection: confirmed by the requester and not reopened, over all tickets; silence apart', () => {
    assert.equal(metrics.tickets, 10);
    assert.deepEqual(metrics.deflection, {
      verified: 0.3,
      verifiedCount: 3,
      confirmed: 4,
      unconfirmed: 2,
      reopened: 1,
      awaitingReopenWindow: 0,
    });
    assert.equal(metrics.reopenRate, 0.1);
    assert.deepEqual(metrics.resolvedBy, { requester: 3, engineer: 4, silence: 2 });
    assert.equal(metrics.open, 1);
    assert.equal(metrics.escalated, 5);
  });

  it('a confirmation inside the reopen window is not verified yet', () => {
    const early = figuresOf([
      ticket(0, T0, [
        [0, guide],
        [HOUR, resolved('requester')],
      ]),
    ]);
    assert.deepEqual(
      [early.deflection.verified, early.deflection.confirmed, early.deflection.awaitingReopenWindow],
      [0, 1, 1],
    );
  });

  it('a late yes after an escalation is the requester’s, but no deflection', () => {
    const late = figuresOf([
      ticket(0, T0, [
        [0, guide],
        [HOUR, escalated()],
        [HOUR, resolved('requester')],
        [8 * DAY, { kind: 'closed' }],
      ]),
    ]);
    assert.deepEqual(
      [late.deflection.confirmed, late.deflection.verified, late.resolvedBy.requester],
      [0, 0, 1],
    );
  });

  it('times: acknowledgement, first response (guide or a person), resolution and escalation handling, p50 and p95', () => {
    assert.deepEqual(metrics.acknowledgementMs, { p50: 1000, p95: 1000 });
    // Guides at 3, 3, 4, 5, 6, 6 s; people's first public replies at 60, 70, 80 minutes; one has none.
    assert.deepEqual(metrics.firstResponseMs, { p50: 6000, p95: 80 * MIN });
    // Resolved: 30 min x3, 2 days 2 h (after the reopen), 48 h x2, 3 h x3.
    assert.deepEqual(metrics.resolutionMs, { p50: 3 * HOUR, p95: 2 * DAY + 2 * HOUR });
    // Escalated -> resolved: 2 h (the reopen), 3 h - 2 s for each of the three engineering tickets.
    assert.deepEqual(metrics.escalationHandleMs, { p50: 3 * HOUR - 2000, p95: 3 * HOUR - 2000 });
  });

  it('business-time variants count only the client’s working hours', () => {
    // T-1004 and T-1005 arrive on Friday 10:00 and Saturday 10:00 and close 48 h later.
    const silence = figuresOf(tenTickets().filter((s) => s.ticketId === 'T-1004' || s.ticketId === 'T-1005'));
    // Fri 10:00 -> Sun 10:00 is 8 business hours; Sat 10:00 -> Mon 10:00 is 2.
    assert.deepEqual(silence.resolutionBusinessMs, { p50: 2 * HOUR, p95: 8 * HOUR });
    assert.deepEqual(silence.resolutionMs, { p50: 48 * HOUR, p95: 48 * HOUR });
  });

  it('SLA breaches: a first response after the response deadline (or none by now), and the resolution alert', () => {
    // T-1006..8 answered by a person after 60, 70 and 80 minutes with a 60-minute window; T-1009 never.
    assert.deepEqual(metrics.slaBreaches, { response: 3, resolution: 1 });
  });

  it('satisfaction: responses and the average', () => {
    assert.deepEqual(metrics.csat, { responses: 4, average: 4.25, scores: { 1: 0, 2: 1, 3: 0, 4: 0, 5: 3 } });
  });

  it('interruptions: in total, per working day and per tier, only the client’s own', () => {
    assert.equal(metrics.engineerInterruptions, 7);
    // 35 days from Monday 10:00 to Monday 10:00: 25 working days and two hours of the 36th.
    assert.equal(metrics.engineerInterruptionsPerDay, 0.28);
    assert.deepEqual(metrics.byTier, {
      1: { interruptions: 5, interruptionsPerDay: 0.2 },
      2: { interruptions: 2, interruptionsPerDay: 0.08 },
      3: { interruptions: 0, interruptionsPerDay: 0 },
      oncall: { interruptions: 0, interruptionsPerDay: 0 },
    });
  });

  it('by category and by week', () => {
    assert.deepEqual(metrics.byCategory, {
      printer_peripheral: { tickets: 4, deflected: 3, confirmed: 4, unconfirmed: 0, escalated: 1 },
      vpn_remote_access: { tickets: 2, deflected: 0, confirmed: 0, unconfirmed: 2, escalated: 0 },
      engineering: { tickets: 4, deflected: 0, confirmed: 0, unconfirmed: 0, escalated: 4 },
    });
    assert.deepEqual(
      metrics.weekly.map((w) => [
        w.week,
        w.tickets,
        w.verified,
        w.verifiedDeflection,
        w.engineerInterruptions,
      ]),
      [
        ['2026-03-02', 7, 3, 0.4286, 2],
        ['2026-03-09', 3, 0, 0, 5],
        ['2026-03-16', 0, 0, 0, 0],
        ['2026-03-23', 0, 0, 0, 0],
        ['2026-03-30', 0, 0, 0, 0],
        ['2026-04-06', 0, 0, 0, 0],
      ],
    );
    assert.deepEqual(metrics.weekly[0]?.byCategory.printer_peripheral, {
      tickets: 4,
      deflected: 3,
      confirmed: 4,
      unconfirmed: 0,
      escalated: 1,
    });
  });
});

describe('metrics: helpers', () => {
  it('a re-page of the same ticket within 30 minutes counts once', () => {
    const page = (ticketId: string, minutes: number): Interruption => ({
      clientId: 'acme',
      ticketId,
      key: `p1-page-0-${minutes}`,
      at: iso(T0 + minutes * MIN),
      kind: 'p1_page',
      tier: 3,
      audience: 'oncall',
    });
    // Paged every 15 minutes for two hours: counted at 0, 30, 60 and 90 minutes.
    const pages = [0, 15, 30, 45, 60, 75, 90, 105].map((m) => page('T-1', m));
    const counted = countedInterruptions([...pages, page('T-2', 10), pages[0] as Interruption]);
    assert.deepEqual(
      counted.map((i) => `${i.ticketId}@${(Date.parse(i.at) - T0) / MIN}`),
      ['T-1@0', 'T-2@10', 'T-1@30', 'T-1@60', 'T-1@90'],
    );
  });

  it('percentiles are nearest-rank: always an observed value', () => {
    assert.equal(percentile([], 50), null);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([4, 1, 3, 2], 50), 2);
    assert.equal(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        95,
      ),
      19,
    );
    assert.equal(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
      95,
    );
  });

  it('weeks start on Monday (UTC); working days follow the client’s hours', () => {
    assert.equal(weekOf(Date.parse('2026-03-08T23:59:59Z')), '2026-03-02');
    assert.equal(weekOf(Date.parse('2026-03-09T00:00:00Z')), '2026-03-09');
    assert.equal(workingDays(T0 - 10 * HOUR, T0 - 10 * HOUR + 7 * DAY, LONDON), 5);
    assert.equal(
      workingDays(Date.parse('2026-03-07T00:00:00Z'), Date.parse('2026-03-09T00:00:00Z'), LONDON),
      0,
    );
  });

  it('ranges: from inclusive, to exclusive, ISO 8601, 30 days by default; errors name the field', () => {
    const now = Date.parse('2026-04-01T12:00:00Z');
    assert.deepEqual(parseRange(undefined, undefined, now), { ok: true, from: now - 30 * DAY, to: now });
    assert.deepEqual(parseRange('2026-03-01', '2026-04-01', now), {
      ok: true,
      from: Date.parse('2026-03-01T00:00:00Z'),
      to: Date.parse('2026-04-01T00:00:00Z'),
    });
    assert.deepEqual(parseRange('2026-03-01T09:30+01:00', undefined, now), {
      ok: true,
      from: Date.parse('2026-03-01T08:30:00Z'),
      to: now,
    });
    const error = (from?: string, to?: string) => {
      const r = parseRange(from, to, now);
      return r.ok ? 'ok' : r.error.split(':')[0] + ':' + (r.error.includes('after') ? ' after' : '');
    };
    for (const bad of ['yesterday', '2026-02-30', '2026-13-01', '2026-03-01T10:00', '1700000000', '2026-3-1'])
      assert.equal(error(bad, undefined), 'from:', bad);
    assert.equal(error(undefined, 'soon'), 'to:');
    assert.equal(error('2026-03-02', '2026-03-01'), 'to: after');
    assert.equal(error('2026-03-01', '2026-03-01'), 'to: after');
    assert.equal(error('2020-01-01', '2026-01-01'), 'to:');
  });
});
