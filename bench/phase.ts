/**
 * One phase of `npm run bench`, in a process of its own (a process hosts one app, as on Azure).
 * The parent (bench/run.ts) says which phase in argv and passes settings in the environment; the
 * phase reports its figures, and asks the parent to mark the storage counters, over IPC.
 */
import path from 'node:path';

import { openStorage } from '../src/composition/storage';
import { type Clock, VirtualClock } from '../src/local/clock';
import { invocationStats } from '../src/local/invoke';
import { LocalRuntime } from '../src/local/runtime';
import { seedDemo } from '../src/local/seedDemo';

export type PhaseName = 'speed' | 'lifecycle' | 'idle';
export type ToParent =
  { mark: string; invocations: Record<string, number>; activeMs: number } | { result: unknown };

const appRoot = path.resolve(__dirname, '..', '..');
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

function toParent(message: ToParent): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('bench phases run from bench/run.ts'));
    if ('result' in message) return void process.send(message, () => resolve());
    process.once('message', () => resolve());
    process.send(message);
  });
}
const mark = (label: string) =>
  toParent({
    mark: label,
    invocations: { ...invocationStats.byTrigger },
    activeMs: Math.round(invocationStats.activeMs),
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function startApp(clock?: Clock) {
  await seedDemo(appRoot);
  const runtime = await LocalRuntime.start({
    appRoot,
    port: 0,
    clock,
    log: (level, message) => {
      if (process.env.BENCH_LOG === '1' && level !== 'debug') console.error(level, message);
    },
  });
  process.env.AUTOTIER_PUBLIC_BASE_URL = runtime.url;
  const outbox = openStorage().outbox();
  const post = async (p: string, body: unknown): Promise<Response> =>
    fetch(`${runtime.url}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const file = async (email: string, subject: string, body = 'FortiClient disconnects.') => {
    const res = await post('/api/tickets', { clientId: 'demo', requester: { email }, subject, body });
    if (res.status !== 202) throw new Error(`POST /api/tickets returned ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { ticketId: string }).ticketId;
  };
  const ackedAt = async (email: string): Promise<number> => {
    for (;;) {
      const [mail] = await outbox.list(email);
      if (mail) return Date.parse(mail.sentAt);
      await sleep(2);
    }
  };
  const status = async (ticketId: string) => {
    const res = await fetch(`${runtime.url}/durabletask/instances/ticket-${ticketId}`);
    return (await res.json()) as { runtimeStatus?: string; customStatus?: { phase?: string } };
  };
  /** A ticket has settled when it is acknowledged, classified and its guide is out (or it is escalated). */
  const settled = async (ticketId: string) => {
    for (;;) {
      const phase = (await status(ticketId)).customStatus?.phase;
      if (phase === 'awaiting' || phase === 'escalated') return;
      await sleep(5);
    }
  };
  return { runtime, post, file, ackedAt, settled, status };
}

/** Acknowledgement latency on an idle app, then rounds of concurrent load on the same store. */
async function speed() {
  const sequential = num('BENCH_SEQUENTIAL', 60);
  const total = num('BENCH_TOTAL', 200);
  const concurrency = num('BENCH_CONCURRENCY', 32);
  const rounds = num('BENCH_ROUNDS', 3);
  const app = await startApp();

  await app.file('warmup@bench.example', 'VPN drops every hour (warm-up)');
  await app.ackedAt('warmup@bench.example');

  const idleAck: number[] = [];
  for (let i = 0; i < sequential; i++) {
    const email = `seq${i}@bench.example`;
    const start = Date.now();
    const id = await app.file(email, `VPN drops every hour (${i})`);
    idleAck.push((await app.ackedAt(email)) - start);
    await app.settled(id); // each acknowledgement on an otherwise idle app
  }

  const byRound: { endToEndPerSec: number; intakePerSec: number; ackP95Ms: number; ms: number }[] = [];
  for (let round = 1; round <= rounds; round++) {
    const postedAt = new Map<string, number>();
    const ids: string[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const email = `r${round}-${next++}@bench.example`;
          postedAt.set(email, Date.now());
          ids.push(await app.file(email, `VPN drops every hour (${email})`));
        }
      }),
    );
    const accepted = Date.now();
    for (const id of ids) await app.settled(id);
    const finished = Date.now();
    const acks: number[] = [];
    for (const [email, at] of postedAt) acks.push((await app.ackedAt(email)) - at);
    byRound.push({
      endToEndPerSec: round1((total / (finished - started)) * 1000),
      intakePerSec: round1((total / (accepted - started)) * 1000),
      ackP95Ms: percentile(acks, 95),
      ms: finished - started,
    });
  }
  const mem = process.memoryUsage();
  await app.runtime.stop();
  return {
    sequential,
    total,
    concurrency,
    ackIdle: {
      p50: percentile(idleAck, 50),
      p95: percentile(idleAck, 95),
      p99: percentile(idleAck, 99),
      max: Math.max(...idleAck),
    },
    byRound,
    rssMiB: Math.round(mem.rss / 1048576),
    heapUsedMiB: Math.round(mem.heapUsed / 1048576),
  };
}

/**
 * Whole ticket lives on a virtual clock, with the storage counters marked around them: tickets the
 * requester confirms, and tickets that escalate and an engineer resolves; each runs to the end of
 * its reopen window, when its orchestration completes.
 */
async function lifecycle() {
  const perPath = num('BENCH_LIFECYCLE_TICKETS', 10);
  const clock = new VirtualClock(Date.parse('2026-03-02T09:00:00Z'));
  const app = await startApp(clock);
  const { runtime } = app;
  const reply = (id: string, from: string, text: string) =>
    app.post(`/api/tickets/${id}/events`, { type: 'reply', from, text });
  const finish = async (ids: string[]) => {
    await runtime.advance(8 * 24 * 3600_000); // past the 7-day reopen window
    for (const id of ids) {
      const s = await app.status(id);
      if (s.runtimeStatus !== 'Completed')
        throw new Error(`ticket ${id} did not complete: ${JSON.stringify(s)}`);
    }
  };
  await app.file('warmup@bench.example', 'VPN drops every hour (warm-up)');
  await runtime.drain();

  /** One path: each ticket is filed, answered, perhaps resolved by an engineer, then run out. */
  const runPath = async (name: string, mailbox: string, answer: string, engineerResolves: boolean) => {
    await mark(`${name}:start`);
    const ids: string[] = [];
    // First each ticket's way to its guide (the speed path), counted on its own, then the rest.
    for (let i = 0; i < perPath; i++) {
      ids.push(await app.file(`${mailbox}${i}@bench.example`, `VPN drops every hour (${i})`));
      await runtime.drain();
    }
    await mark(`${name}:filed`);
    for (const [i, id] of ids.entries()) {
      const email = `${mailbox}${i}@bench.example`;
      await reply(id, email, answer);
      await runtime.drain();
      if (engineerResolves) {
        await app.post(`/api/tickets/${id}/events`, {
          type: 'resolved',
          by: 'eng@msp.example',
          note: 'Reinstalled the client',
        });
        await runtime.drain();
      }
    }
    await finish(ids);
    await mark(`${name}:end`);
  };
  await runPath('confirmed', 'yes', 'Thanks, that fixed it!', false);
  await runPath('escalated', 'no', 'No, it is still broken.', true);
  await runtime.stop();
  return { ticketsPerPath: perPath };
}

/** Storage requests of an app with nothing to do, on the real clock. */
async function idle() {
  const seconds = num('BENCH_IDLE_SECONDS', 30);
  const app = await startApp();
  await sleep(3000); // past start-up: tables and queues created, pollers backed off
  await mark('idle:start');
  await sleep(seconds * 1000);
  await mark('idle:end');
  await app.runtime.stop();
  return { seconds };
}

const phases: Record<PhaseName, () => Promise<unknown>> = { speed, lifecycle, idle };

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

async function main() {
  const name = process.argv[2] as PhaseName;
  const phase = phases[name];
  if (!phase) throw new Error(`unknown bench phase "${name}"`);
  const result = await phase();
  await toParent({ result });
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
