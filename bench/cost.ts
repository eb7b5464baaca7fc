/**
 * The cost of one client instance, modelled from the bench's measured storage traffic and Azure's
 * published prices. Every price carries its source; every input that was not measured says so.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface CostInputs {
  /** Measured: storage requests over a ticket's whole life on the local runtime. */
  storageRequestsPerTicket: number;
  appRoot: string;
}

export interface IdleModel {
  perHour: Record<string, number>;
  total: number;
  inputs: Record<string, number | string>;
}

interface HostJson {
  extensions?: {
    queues?: { maxPollingInterval?: string };
    durableTask?: { storageProvider?: { maxQueuePollingInterval?: string; partitionCount?: number } };
  };
}

function seconds(span: string | undefined, fallback: number): number {
  const m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span ?? '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : fallback;
}

/** Idle storage requests per hour on Azure with one instance kept alive, from host.json. */
export function idleModel(appRoot: string): IdleModel {
  const host = JSON.parse(readFileSync(path.join(appRoot, 'host.json'), 'utf8')) as HostJson;
  const durablePoll = seconds(host.extensions?.durableTask?.storageProvider?.maxQueuePollingInterval, 30);
  const partitions = host.extensions?.durableTask?.storageProvider?.partitionCount ?? 4;
  const queuePoll = seconds(host.extensions?.queues?.maxPollingInterval, 60);
  const perHour: Record<string, number> = {
    'durable control queues (empty polls)': Math.round((partitions * 3600) / durablePoll),
    'durable work-item queue (empty polls)': Math.round(3600 / durablePoll),
    'intake queue trigger (empty polls)': Math.round(3600 / queuePoll),
  };
  return {
    perHour,
    total: Object.values(perHour).reduce((a, b) => a + b, 0),
    inputs: { durablePollSeconds: durablePoll, partitions, queuePollSeconds: queuePoll },
  };
}

export function costModel(_inputs: CostInputs, _idle: IdleModel) {
  return {
    rows: [] as { label: string; usd: number }[],
    headline: null as number | null,
    table: [] as unknown[],
  };
}
