/**
 * npm run bench: the app on the local runtime with Azurite, measured. Each phase runs in a process
 * of its own (bench/phase.ts); this process counts storage requests on the wire
 * (bench/storageProxy.ts), models what the counts cost on Azure (bench/cost.ts), and prints
 * readable lines followed by one JSON line with every figure.
 *
 * Sizes come from the environment: BENCH_SEQUENTIAL (60), BENCH_TOTAL (200 per round),
 * BENCH_CONCURRENCY (32), BENCH_ROUNDS (3), BENCH_LIFECYCLE_TICKETS (10 per path),
 * BENCH_IDLE_SECONDS (30), BENCH_METRICS_TICKETS (5000, a year's tickets for the metrics query),
 * BENCH_SMOKE=1 (skip the 48,000-ticket classifier training), BENCH_CPU_PROF=<dir> (a V8 CPU profile of
 * each phase's process, for `node --cpu-prof` analysis). The warm start runs `npm start` twice
 * (bench/warmStart.ts).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { classifierBench } from './classifier';
import { coldStartBench } from './coldStart';
import { costTable, idleModel, type Measured } from './cost';
import { metricsQueryBench } from './metricsQuery';
import type { PhaseName, ToParent } from './phase';
import { type Counts, diff, startStorageProxy, type StorageProxy } from './storageProxy';
import { warmStartBench } from './warmStart';

const suffix = Date.now().toString(36);
const signingKey = randomBytes(32).toString('hex');

interface Names {
  hub: string;
  prefix: string;
}

interface Mark {
  storage: Counts;
  invocations: Record<string, number>;
  activeMs: number;
}

async function runPhase(
  name: PhaseName,
  proxy: StorageProxy | undefined,
  marks: Map<string, Mark>,
): Promise<{ result: unknown; names: Names }> {
  const names = { hub: `bh${name.slice(0, 4)}${suffix}`, prefix: `ba${name.slice(0, 4)}${suffix}` };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AzureWebJobsStorage:
      proxy?.connectionString ?? process.env.AzureWebJobsStorage ?? 'UseDevelopmentStorage=true',
    AUTOTIER_TASK_HUB: names.hub,
    AUTOTIER_TABLE_PREFIX: names.prefix,
    AUTOTIER_INTAKE_QUEUE: `${names.prefix}-intake`,
    AUTOTIER_TIER_QUEUE_PREFIX: `${names.prefix}-tier`,
    AUTOTIER_LINK_SIGNING_KEY: process.env.AUTOTIER_LINK_SIGNING_KEY ?? signingKey,
  };
  const profile = process.env.BENCH_CPU_PROF; // a directory: each phase writes a V8 CPU profile there
  const child = fork(path.join(__dirname, 'phase.js'), [name], {
    env,
    stdio: 'inherit',
    execArgv: profile
      ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, `--cpu-prof-name=${name}.cpuprofile`]
      : [],
  });
  let result: unknown;
  child.on('message', (message: ToParent) => {
    if ('mark' in message) {
      marks.set(message.mark, {
        storage: proxy?.snapshot() ?? {},
        invocations: message.invocations,
        activeMs: message.activeMs,
      });
      child.send({ marked: message.mark });
    } else result = message.result;
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0 || result === undefined) throw new Error(`bench phase ${name} failed (exit ${code})`);
  return { result, names };
}

/** `table bhlife…History read` -> `table durable:History read`; the app's prefix is dropped. */
function normalise(counts: Counts, names: Names): Counts {
  const out: Counts = {};
  for (const [kind, n] of Object.entries(counts)) {
    const [service, resource = '', ...rest] = kind.split(' ');
    const lower = resource.toLowerCase();
    const name = lower.startsWith(names.hub.toLowerCase())
      ? `durable:${resource.slice(names.hub.length).replace(/^-/, '')}`
      : lower.startsWith(names.prefix.toLowerCase())
        ? resource.slice(names.prefix.length).replace(/^-/, '') || resource
        : resource;
    const key = [service, name, ...rest].join(' ');
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}

/** What happened between a phase's `label:start` and `label:end` (or `label:<until>`) marks. */
function between(marks: Map<string, Mark>, names: Names, label: string, until = 'end') {
  const start = marks.get(`${label}:start`);
  const end = marks.get(`${label}:${until}`);
  return {
    storage: normalise(diff(end?.storage ?? {}, start?.storage ?? {}), names),
    executions: total(diff(end?.invocations ?? {}, start?.invocations ?? {})),
    activeMs: (end?.activeMs ?? 0) - (start?.activeMs ?? 0),
  };
}

const total = (c: Counts, keep: (kind: string) => boolean = () => true) =>
  Object.entries(c).reduce((sum, [k, v]) => (keep(k) ? sum + v : sum), 0);
const isPoll = (k: string) => k.endsWith('(empty poll)');
const isDurable = (k: string) => k.includes(' durable:');
const perTicket = (c: Counts, n: number): Counts =>
  Object.fromEntries(
    Object.entries(c)
      .filter(([k]) => !isPoll(k))
      .map(([k, v]) => [k, Math.round((v / n) * 10) / 10]),
  );

/** How often an idle app wakes for its own timers: the distinct minutes of the hour they run at. */
function timerWakeUpsPerHour(appRoot: string): number {
  const dir = path.join(appRoot, 'src', 'functions', 'timer');
  const minutes = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const schedule = /schedule:\s*'([^']+)'/.exec(readFileSync(path.join(dir, file), 'utf8'))?.[1];
    const minute = schedule?.split(' ')[1];
    if (!minute) continue;
    if (!/^\d+$/.test(minute)) return 60 / Number(/^\*\/(\d+)$/.exec(minute)?.[1] ?? 1);
    minutes.add(minute);
  }
  return minutes.size;
}

interface SpeedResult {
  sequential: number;
  total: number;
  concurrency: number;
  ackIdle: { p50: number; p95: number; p99: number; max: number };
  byRound: { endToEndPerSec: number; intakePerSec: number; ackP95Ms: number; ms: number }[];
  rssMiB: number;
  heapUsedMiB: number;
}

async function main() {
  const appRoot = path.resolve(__dirname, '..', '..');
  const started = Date.now();

  const speed = (await runPhase('speed', undefined, new Map())).result as SpeedResult;

  const proxy = await startStorageProxy();
  const lifeMarks = new Map<string, Mark>();
  const life = await runPhase('lifecycle', proxy, lifeMarks);
  const { ticketsPerPath } = life.result as { ticketsPerPath: number };
  const confirmed = between(lifeMarks, life.names, 'confirmed');
  const escalated = between(lifeMarks, life.names, 'escalated');
  // The speed path alone: filed, acknowledged, classified, guide sent.
  const toGuide = between(lifeMarks, life.names, 'confirmed', 'filed');

  const idleMarks = new Map<string, Mark>();
  const idle = await runPhase('idle', proxy, idleMarks);
  const { seconds: idleSeconds } = idle.result as { seconds: number };
  const idleCounts = between(idleMarks, idle.names, 'idle').storage;
  await proxy.close();

  const perConfirmed = total(confirmed.storage, (k) => !isPoll(k)) / ticketsPerPath;
  const perEscalated = total(escalated.storage, (k) => !isPoll(k)) / ticketsPerPath;
  const perToGuide = total(toGuide.storage, (k) => !isPoll(k)) / ticketsPerPath;
  const durableShare = total(confirmed.storage, (k) => !isPoll(k) && isDurable(k)) / ticketsPerPath;
  const localIdlePerHour = Math.round((total(idleCounts) / idleSeconds) * 3600);

  // A typical ticket for the cost model: half confirmed by the requester, half escalated.
  const mixed: Counts = {};
  for (const c of [
    perTicket(confirmed.storage, ticketsPerPath),
    perTicket(escalated.storage, ticketsPerPath),
  ])
    for (const [k, v] of Object.entries(c)) mixed[k] = (mixed[k] ?? 0) + v / 2;
  const measured: Measured = {
    storageByKind: mixed,
    executionsPerTicket: (confirmed.executions + escalated.executions) / (2 * ticketsPerPath),
    activeSecondsPerTicket: (confirmed.activeMs + escalated.activeMs) / (2 * ticketsPerPath * 1000),
  };
  const idleAzure = idleModel(appRoot, timerWakeUpsPerHour(appRoot));
  const table = costTable(measured, idleAzure);
  const headline = table.find((r) => r.ticketsPerMonth === 300 && r.alwaysReady === 'none');

  const rounds = speed.byRound;
  const line = (s: string) => console.log(s);
  line(`autotier bench (local runtime + Azurite, node ${process.version}, ${new Date().toISOString()})`);
  line(
    `acknowledgement latency over ${speed.sequential} sequential tickets, each on an idle app (POST -> ack mail filed):`,
  );
  line(
    `  p50 ${speed.ackIdle.p50} ms   p95 ${speed.ackIdle.p95} ms   p99 ${speed.ackIdle.p99} ms   max ${speed.ackIdle.max} ms`,
  );
  line(
    `sustained: ${rounds.length} rounds of ${speed.total} tickets on the same store, ${speed.concurrency} concurrent clients`,
  );
  rounds.forEach((r, i) =>
    line(
      `  round ${i + 1}: intake ${r.intakePerSec}/s, acknowledged+classified+guide sent ${r.endToEndPerSec} tickets/s (${r.ms} ms), ack p95 under load ${r.ackP95Ms} ms`,
    ),
  );
  line(`  process rss ${speed.rssMiB} MiB, heap used ${speed.heapUsedMiB} MiB`);
  line(
    `storage requests per ticket, whole life to the end of the reopen window (${ticketsPerPath} tickets a path):`,
  );
  line(
    `  confirmed by the requester: ${perConfirmed.toFixed(1)} (of which the local Durable engine ${durableShare.toFixed(1)})`,
  );
  line(`  escalated, resolved by an engineer: ${perEscalated.toFixed(1)}`);
  line(`  of a ticket's life, filed until its guide is out (the speed path): ${perToGuide.toFixed(1)}`);
  line(
    `  function executions per ticket ${measured.executionsPerTicket.toFixed(1)}, active time per ticket ${measured.activeSecondsPerTicket.toFixed(2)} s`,
  );
  line(`idle storage requests per hour: measured on the local runtime ${localIdlePerHour}`);
  line(
    `  modelled on Azure (Azure Storage backend, scaled to zero, ${idleAzure.wakeUpsPerHour} timer wake-up(s) an hour): ${idleAzure.total}`,
  );
  line(
    'cost per client instance per month (modelled, USD; prices and assumptions in bench/cost.ts and the README):',
  );
  line('  tickets  always-ready   total | storage:tickets  storage:idle  compute   mail   logs');
  for (const r of table)
    line(
      `  ${String(r.ticketsPerMonth).padStart(7)}  ${r.alwaysReady.padEnd(12)} ${r.usd.toFixed(2).padStart(6)} | ${Object.values(
        r.parts,
      )
        .map((v) => v.toFixed(2).padStart(14))
        .join('')}`,
    );
  line('classifier:');
  const classifier = classifierBench(appRoot, { skipLarge: process.env.BENCH_SMOKE === '1' });
  for (const l of classifier.lines) line(`  ${l}`);
  const metricsQuery = await metricsQueryBench(Number(process.env.BENCH_METRICS_TICKETS ?? 5000));
  line(
    `metrics query (GET /api/metrics' use case) over a year of ${metricsQuery.tickets} tickets on Azurite: median ${metricsQuery.medianMs} ms, slowest ${metricsQuery.maxMs} ms (seeded in ${metricsQuery.seedSeconds} s)`,
  );
  const cold = coldStartBench(appRoot);
  line(
    `cold start: a new process loads the app's ${cold.functions} functions in ${cold.moduleLoadMs} ms (Node's boot included), then the built-in model in ${cold.modelLoadMs} ms; rss ${cold.rssMiB} MiB`,
  );
  const warm = await warmStartBench(appRoot);
  line(
    `warm start: a second npm start with nothing changed answers /api/health in ${warm.warmStartMs} ms (${warm.warmBuild.join('; ')})`,
  );
  line(`bench took ${Math.round((Date.now() - started) / 1000)} s`);

  console.log(
    JSON.stringify({
      ackP95Ms: speed.ackIdle.p95,
      ackUnderLoadP95Ms: Math.max(...rounds.map((r) => r.ackP95Ms)),
      endToEndTicketsPerSec: rounds.at(-1)?.endToEndPerSec ?? null,
      endToEndTicketsPerSecByRound: rounds.map((r) => r.endToEndPerSec),
      intakeTicketsPerSecByRound: rounds.map((r) => r.intakePerSec),
      storageRequestsPerTicket: Math.round(perConfirmed * 10) / 10,
      storageRequestsPerEscalatedTicket: Math.round(perEscalated * 10) / 10,
      storageRequestsByKind: perTicket(confirmed.storage, ticketsPerPath),
      storageRequestsPerTicketToGuide: Math.round(perToGuide * 10) / 10,
      storageRequestsByKindToGuide: perTicket(toGuide.storage, ticketsPerPath),
      storageRequestsByKindEscalated: perTicket(escalated.storage, ticketsPerPath),
      localDurableEngineRequestsPerTicket: Math.round(durableShare * 10) / 10,
      executionsPerTicket: Math.round(measured.executionsPerTicket * 10) / 10,
      activeSecondsPerTicket: Math.round(measured.activeSecondsPerTicket * 100) / 100,
      idleStorageRequestsPerHour: idleAzure.total,
      idleStorageRequestsPerHourModelled: true,
      idleStorageRequestsPerHourWarm: idleAzure.warmPerHour,
      idleStorageRequestsPerHourLocalMeasured: localIdlePerHour,
      idleStorageRequestsLocalByKind: idleCounts,
      costPerClientMonthUsd: headline?.usd ?? null,
      costModelled: true,
      costTable: table,
      rssMiB: speed.rssMiB,
      classifier: classifier.figures,
      metricsQueryYearMs: metricsQuery.medianMs,
      metricsQueryYearTickets: metricsQuery.tickets,
      coldStartModuleLoadMs: cold.moduleLoadMs,
      coldStartModelLoadMs: cold.modelLoadMs,
      warmStartMs: warm.warmStartMs,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
