/**
 * How long `GET /api/metrics` takes over a year of a client's tickets: seeds a fresh outcome table
 * on Azurite with `tickets` tickets spread over 365 days (each ticket's events in one transaction,
 * as the activities write them, with an interruption for each escalation), then times the same
 * use case the route runs, a few times, and reports the median and the slowest.
 */
import { randomBytes } from 'node:crypto';

import { createTableClient, storageConnectionFromSettings } from '../src/adapters/tables/storageClients';
import { TableOutcomeLog } from '../src/adapters/tables/tableOutcomeLog';
import { CATEGORIES } from '../src/domain/categories';
import { DEMO_CLIENT } from '../src/domain/client';
import type { OutcomeEvent } from '../src/domain/metrics';
import type { OutcomeLog } from '../src/ports/outcomeLog';
import { clientMetrics } from '../src/reporting/clientMetrics';

const DAY = 86_400_000;
export interface MetricsQueryFigures {
  tickets: number;
  seedSeconds: number;
  medianMs: number;
  maxMs: number;
}

export async function metricsQueryBench(tickets: number, runs = 5): Promise<MetricsQueryFigures> {
  const table = createTableClient(
    storageConnectionFromSettings('AzureWebJobsStorage'),
    `benchoutcomes${randomBytes(4).toString('hex')}`,
  );
  const outcomes = new TableOutcomeLog(table);
  await outcomes.ensureTable();
  const clientId = DEMO_CLIENT.clientId;
  const end = Date.parse('2026-12-31T00:00:00Z');
  const start = end - 365 * DAY;
  const seedStarted = Date.now();
  await seedMetricsYear(outcomes, clientId, tickets, start);
  const seedSeconds = (Date.now() - seedStarted) / 1000;

  const clients = {
    get: () => Promise.resolve(DEMO_CLIENT),
    put: () => Promise.resolve(),
    list: () => Promise.resolve([DEMO_CLIENT]),
  };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const result = await clientMetrics(
      { clients, outcomes },
      { clientId, from: new Date(start).toISOString(), to: new Date(end + DAY).toISOString(), now: end },
    );
    times.push(performance.now() - t0);
    if (!result.ok || result.metrics.tickets !== tickets)
      throw new Error(
        `metrics over the seeded year: ${result.ok ? result.metrics.tickets : result.error} tickets, expected ${tickets}`,
      );
  }
  await table.deleteTable();
  times.sort((a, b) => a - b);
  return {
    tickets,
    seedSeconds: Math.round(seedSeconds * 10) / 10,
    medianMs: Math.round(times[Math.floor(times.length / 2)] ?? 0),
    maxMs: Math.round(times.at(-1) ?? 0),
  };
}

/**
 * Seeds `tickets` tickets of `clientId` received over the 365 days from `start`: each ticket's
 * events in one transaction, as the activities write them, with an interruption per escalation.
 */
export async function seedMetricsYear(
  outcomes: OutcomeLog,
  clientId: string,
  tickets: number,
  start: number,
): Promise<void> {
  const one = async (n: number) => {
    const received = start + Math.floor((n / tickets) * 365 * DAY);
    const base = { clientId, ticketId: `T-${100_000 + n}`, receivedAt: new Date(received).toISOString() };
    const at = (ms: number) => new Date(received + ms).toISOString();
    const category = CATEGORIES[n % CATEGORIES.length] ?? 'engineering';
    const auto = category !== 'engineering';
    const confirmed = auto && n % 5 < 3;
    const events: OutcomeEvent[] = [
      { ...base, step: 'received', at: at(0), kind: 'received', channel: 'email' },
      { ...base, step: 'acknowledged', at: at(1_500), kind: 'acknowledged' },
      {
        ...base,
        step: 'classified',
        at: at(2_000),
        kind: 'classified',
        category,
        priority: 'P3',
        tier: auto ? 1 : 2,
        route: auto ? 'auto' : 'escalate',
      },
      {
        ...base,
        step: 'responded',
        at: at(60_000),
        kind: 'responded',
        by: auto ? 'automation' : 'person',
        via: auto ? 'guide' : 'plan',
      },
      confirmed
        ? { ...base, step: 'resolved', at: at(1_800_000), kind: 'resolved', by: 'requester', cycle: 0 }
        : {
            ...base,
            step: 'escalated',
            at: at(3_600_000),
            kind: 'escalated',
            tier: auto ? 1 : 2,
            reason: 'bench',
            cycle: 0,
          },
    ];
    await outcomes.record(...events);
    if (!confirmed)
      await outcomes.recordInterruption({
        clientId,
        ticketId: base.ticketId,
        key: 'escalation',
        at: at(3_600_000),
        kind: 'escalation',
        tier: 1,
      });
  };
  // A few writers at once, as activities write in parallel.
  for (let n = 0; n < tickets; n += 16)
    await Promise.all(Array.from({ length: Math.min(16, tickets - n) }, (_, i) => one(n + i)));
}
