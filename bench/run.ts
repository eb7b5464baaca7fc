/**
 * npm run bench: the local runtime with Azurite, measured.
 * - acknowledgement latency: POST /api/tickets until the acknowledgement mail is filed (p50/p95/p99)
 * - sustained throughput: tickets posted concurrently until every one is acknowledged, classified
 *   and its guide sent (the orchestration then waits for the requester)
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { TableOutbox } from '../src/adapters/email/tableOutbox';
import { createTableClient, storageConnectionFromSettings } from '../src/adapters/tables/storageClients';
import { LocalRuntime } from '../src/local/runtime';
import { classifierBench } from './classifier';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 60);
const CONCURRENT_TOTAL = Number(process.env.BENCH_TOTAL ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

const suffix = Date.now().toString(36);
process.env.AUTOTIER_TASK_HUB = `bench${suffix}`;
process.env.AUTOTIER_TABLE_PREFIX = `bench${suffix}`;
process.env.AzureWebJobsStorage ??= 'UseDevelopmentStorage=true';
process.env.AUTOTIER_LINK_SIGNING_KEY ??= randomBytes(32).toString('hex');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main() {
  const appRoot = path.resolve(__dirname, '..', '..');
  const runtime = await LocalRuntime.start({
    appRoot,
    port: 0,
    log: (level, message) => {
      if (process.env.BENCH_LOG === '1' && level !== 'debug') console.error(level, message);
    },
    maxPollIntervalMs: 1000,
  });
  process.env.AUTOTIER_PUBLIC_BASE_URL = runtime.url;
  const outbox = new TableOutbox(
    createTableClient(storageConnectionFromSettings('AzureWebJobsStorage'), `bench${suffix}Outbox`),
  );

  const post = async (i: number, email: string) => {
    const res = await fetch(`${runtime.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: 'demo',
        requester: { email },
        subject: `VPN drops every hour (${i})`,
        body: 'FortiClient disconnects.',
      }),
    });
    if (res.status !== 202) throw new Error(`POST returned ${res.status}`);
    return ((await res.json()) as { ticketId: string }).ticketId;
  };
  const ackedAt = async (email: string): Promise<number> => {
    for (;;) {
      const [mail] = await outbox.list(email);
      if (mail) return Date.parse(mail.sentAt);
      await new Promise((r) => setTimeout(r, 2));
    }
  };

  /** A ticket has settled when it is acknowledged, classified and its guide is out (or it is escalated). */
  const settled = async (ticketId: string) => {
    for (;;) {
      const res = await fetch(`${runtime.url}/durabletask/instances/ticket-${ticketId}`);
      const status = ((await res.json()) as { customStatus?: { phase?: string } }).customStatus;
      if (status?.phase === 'awaiting' || status?.phase === 'escalated') return;
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  // Warm up: first invocations load modules and create tables.
  await post(0, 'warmup@bench.example');
  await ackedAt('warmup@bench.example');

  const latencies: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const email = `seq${i}@bench.example`;
    const start = Date.now();
    const id = await post(i, email);
    latencies.push((await ackedAt(email)) - start);
    await settled(id); // measure each acknowledgement on an otherwise idle app
  }
  latencies.sort((a, b) => a - b);

  const started = Date.now();
  let next = 0;
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CONCURRENT_TOTAL) {
        const i = next++;
        ids.push(await post(i, `load${i}@bench.example`));
      }
    }),
  );
  const accepted = Date.now();
  for (const id of ids) await settled(id);
  const finished = Date.now();
  await runtime.stop();

  const mem = process.memoryUsage();
  console.log(
    `autotier bench (local runtime + Azurite, node ${process.version}, ${new Date().toISOString()})`,
  );
  console.log(
    `acknowledgement latency over ${SEQUENTIAL} sequential tickets, each on an idle app (POST -> ack mail filed):`,
  );
  console.log(
    `  p50 ${percentile(latencies, 50)} ms   p95 ${percentile(latencies, 95)} ms   p99 ${percentile(latencies, 99)} ms   max ${latencies.at(-1)} ms`,
  );
  console.log(`sustained: ${CONCURRENT_TOTAL} tickets, ${CONCURRENCY} concurrent clients`);
  console.log(`  intake accepted ${((CONCURRENT_TOTAL / (accepted - started)) * 1000).toFixed(1)} tickets/s`);
  console.log(
    `  acknowledged, classified and guide sent, end to end ${((CONCURRENT_TOTAL / (finished - started)) * 1000).toFixed(1)} tickets/s (${finished - started} ms)`,
  );
  console.log(
    `  process rss ${(mem.rss / 1048576).toFixed(0)} MiB, heap used ${(mem.heapUsed / 1048576).toFixed(0)} MiB`,
  );
  console.log('classifier:');
  for (const line of classifierBench(appRoot)) console.log(`  ${line}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
