/**
 * The monthly cost of one client instance, modelled from what the bench measured (storage requests
 * and function executions per ticket, active time) and Azure's list prices. Every price names its
 * source; every input that was not measured here is marked as an assumption. The README's cost
 * section prints the same table.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { timeSpanSeconds } from '../src/local/timeSpan';

/** USD list prices, pay as you go. Checked 2026-11 (sources in the README's cost section). */
export const PRICES = {
  // Azure Functions pricing page and "Estimating consumption-based costs" (MicrosoftDocs
  // functions-consumption-costs.md); Retail Prices API, East US 2, 2026-10-05.
  flexOnDemandGbSecond: 0.000026,
  flexOnDemandPerMillionExecutions: 0.4,
  /** Free on-demand grant per month, per subscription (shared by every client instance in it). */
  flexFreeGbSeconds: 100_000,
  flexFreeExecutions: 250_000,
  flexAlwaysReadyBaselineGbSecond: 0.000004,
  flexAlwaysReadyExecutionGbSecond: 0.000016,
  // Azure Storage pricing (GPv2, LRS, Hot), Retail Prices API snapshots 2026.
  tablePer10k: 0.00036,
  queuePer10k: 0.004,
  blobWritePer10k: 0.05,
  blobReadPer10k: 0.004,
  // Azure Communication Services email pricing (MicrosoftDocs email-pricing.md).
  acsPerEmail: 0.00025,
  // Azure Monitor pricing: Analytics logs ingestion after the first 5 GB per billing account.
  logAnalyticsPerGb: 2.3,
} as const;

/** Inputs this bench could not measure. Each is an assumption, stated. */
export const ASSUMPTIONS = {
  /** The Flex Consumption default instance size. */
  instanceMemoryGb: 2,
  /** Seconds of 2,592,000 in a 30-day month. */
  monthSeconds: 30 * 24 * 3600,
  /**
   * After a scale-to-zero app's last execution the instance stays up a while and its Durable
   * listener keeps polling; Microsoft does not document how long on Flex. Assumed 5 minutes.
   */
  warmMinutesAfterWork: 5,
  /** Active periods (bursts) a ticket causes: intake, the answer, the close. */
  burstsPerTicket: 3,
  /** The scale controller's check of each watched queue while scaled to zero (documented for Consumption as 10 s). */
  scaleControllerCheckSeconds: 10,
  /** Mails per ticket: acknowledgement, guide, outcome, and one in three gets a reminder or update. */
  mailsPerTicket: 3.3,
  /** Application Insights after sampling: a ticket's traces and requests, and an idle app's. */
  logKbPerTicket: 40,
  idleLogMbPerMonth: 30,
};

export interface Measured {
  /** Storage requests over a ticket's whole life, by kind (`table Tickets write`...). */
  storageByKind: Record<string, number>;
  /** Function executions (HTTP, queue, activity, orchestrator episodes) per ticket. */
  executionsPerTicket: number;
  /** Time at least one function was running, per ticket, in seconds. */
  activeSecondsPerTicket: number;
}

interface HostJson {
  extensions?: {
    queues?: { maxPollingInterval?: string };
    durableTask?: { storageProvider?: { maxQueuePollingInterval?: string; partitionCount?: number } };
  };
}

export interface IdleModel {
  /** Requests per hour while an instance is up and nothing happens (host.json polling). */
  warmPerHour: Record<string, number>;
  /** Requests per hour while scaled to zero. */
  coldPerHour: Record<string, number>;
  /** Timer-trigger wake-ups per hour. */
  wakeUpsPerHour: number;
  /** The headline: a scale-to-zero instance with no tickets, its timers included. */
  total: number;
}

/** Idle storage requests per hour on Azure (Azure Storage backend), from host.json and the timers. */
export function idleModel(appRoot: string, timerWakeUpsPerHour: number): IdleModel {
  const host = JSON.parse(readFileSync(path.join(appRoot, 'host.json'), 'utf8')) as HostJson;
  const durablePoll = timeSpanSeconds(
    host.extensions?.durableTask?.storageProvider?.maxQueuePollingInterval,
    30,
  );
  const partitions = host.extensions?.durableTask?.storageProvider?.partitionCount ?? 4;
  const queuePoll = timeSpanSeconds(host.extensions?.queues?.maxPollingInterval, 60);
  const warmPerHour: Record<string, number> = {
    'durable control queues, polled at maxQueuePollingInterval': Math.round(
      (partitions * 3600) / durablePoll,
    ),
    'durable work-item queue, polled at maxQueuePollingInterval': Math.round(3600 / durablePoll),
    'intake queue trigger, polled at queues.maxPollingInterval': Math.round(3600 / queuePoll),
    'durable partition leases, renewed every 10 s': partitions * 360,
    'host lock blob lease, renewed every 12 s': 300,
  };
  const watchedQueues = partitions + 2;
  const coldPerHour: Record<string, number> = {
    'scale controller checks of the durable and intake queues (assumed every 10 s)': Math.round(
      (watchedQueues * 3600) / ASSUMPTIONS.scaleControllerCheckSeconds,
    ),
  };
  const warmFraction = Math.min(1, (timerWakeUpsPerHour * ASSUMPTIONS.warmMinutesAfterWork) / 60);
  const total = sum(coldPerHour) * (1 - warmFraction) + sum(warmPerHour) * warmFraction;
  return { warmPerHour, coldPerHour, wakeUpsPerHour: timerWakeUpsPerHour, total: Math.round(total) };
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

function storagePrice(kind: string): number {
  const [service, , verb] = kind.split(' ');
  if (service === 'table') return PRICES.tablePer10k / 10_000;
  if (service === 'queue') return PRICES.queuePer10k / 10_000;
  return (verb === 'write' ? PRICES.blobWritePer10k : PRICES.blobReadPer10k) / 10_000;
}

export interface CostRow {
  ticketsPerMonth: number;
  backend: 'Azure Storage';
  alwaysReady: 'none' | '1 x 512 MB' | '1 x 2 GB';
  usd: number;
  parts: Record<string, number>;
}

/** One client instance for a month at a ticket volume, with or without an always-ready instance. */
export function monthlyCost(
  measured: Measured,
  idle: IdleModel,
  ticketsPerMonth: number,
  alwaysReady: CostRow['alwaysReady'],
): CostRow {
  const hours = ASSUMPTIONS.monthSeconds / 3600;
  const queuePrice = PRICES.queuePer10k / 10_000;

  const ticketStorage =
    ticketsPerMonth *
    sum(Object.fromEntries(Object.entries(measured.storageByKind).map(([k, n]) => [k, n * storagePrice(k)])));
  // Each burst of work keeps an instance up and polling for a while after it.
  const warmHoursFromTickets = Math.min(
    hours,
    (ticketsPerMonth * ASSUMPTIONS.burstsPerTicket * ASSUMPTIONS.warmMinutesAfterWork) / 60,
  );
  const idleStorage =
    alwaysReady === 'none'
      ? (idle.total * hours + sum(idle.warmPerHour) * warmHoursFromTickets) * queuePrice
      : sum(idle.warmPerHour) * hours * queuePrice;

  const gbSeconds =
    ticketsPerMonth *
    Math.max(measured.activeSecondsPerTicket, ASSUMPTIONS.burstsPerTicket) *
    ASSUMPTIONS.instanceMemoryGb;
  const executions = ticketsPerMonth * measured.executionsPerTicket + idle.wakeUpsPerHour * hours;
  let compute: number;
  if (alwaysReady === 'none') {
    compute =
      Math.max(0, gbSeconds - PRICES.flexFreeGbSeconds) * PRICES.flexOnDemandGbSecond +
      (Math.max(0, executions - PRICES.flexFreeExecutions) / 1e6) * PRICES.flexOnDemandPerMillionExecutions;
  } else {
    const memory = alwaysReady === '1 x 512 MB' ? 0.5 : 2;
    compute =
      memory * ASSUMPTIONS.monthSeconds * PRICES.flexAlwaysReadyBaselineGbSecond +
      (gbSeconds / ASSUMPTIONS.instanceMemoryGb) * memory * PRICES.flexAlwaysReadyExecutionGbSecond +
      (executions / 1e6) * PRICES.flexOnDemandPerMillionExecutions;
  }
  const mail = ticketsPerMonth * ASSUMPTIONS.mailsPerTicket * PRICES.acsPerEmail;
  const logsGb = (ticketsPerMonth * ASSUMPTIONS.logKbPerTicket) / 1e6 + ASSUMPTIONS.idleLogMbPerMonth / 1e3;
  // The first 5 GB a month are free per billing account, shared by every client: charged here in full.
  const logs = logsGb * PRICES.logAnalyticsPerGb;
  const parts = {
    'storage, tickets': round2(ticketStorage),
    'storage, idle polling': round2(idleStorage),
    compute: round2(compute),
    'mail (ACS)': round2(mail),
    logs: round2(logs),
  };
  return { ticketsPerMonth, backend: 'Azure Storage', alwaysReady, usd: round2(sum(parts)), parts };
}

export function costTable(measured: Measured, idle: IdleModel): CostRow[] {
  const rows: CostRow[] = [];
  for (const alwaysReady of ['none', '1 x 512 MB', '1 x 2 GB'] as const)
    for (const tickets of [0, 300, 3000]) rows.push(monthlyCost(measured, idle, tickets, alwaysReady));
  return rows;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
