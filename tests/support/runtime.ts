import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { TableClientStore } from '../../src/adapters/tables/tableClientStore';
import { TableKnowledgeBase } from '../../src/adapters/tables/tableKnowledgeBase';
import { importKb } from '../../src/cli/kbFiles';
import { type ClientProfile, DEMO_CLIENT } from '../../src/domain/client';
import { VirtualClock } from '../../src/local/clock';
import { LocalRuntime } from '../../src/local/runtime';
import { APP_ROOT } from './paths';
import { table, uniqueName } from './storage';

export { APP_ROOT };

export const FIXTURE_ROOT = path.join(APP_ROOT, 'tests', 'fixtures', 'durable-app');

export interface TestRuntime {
  runtime: LocalRuntime;
  clock: VirtualClock;
  hub: string;
  tablePrefix: string;
  post(path: string, body: unknown): Promise<Response>;
  get(path: string): Promise<Response>;
}

/**
 * Starts the local runtime on a free port with a virtual clock and its own task hub and tables.
 * One per test file: a process hosts one app.
 */
export async function startTestRuntime(appRoot = APP_ROOT): Promise<TestRuntime> {
  const hub = uniqueName('hub');
  const tablePrefix = uniqueName('t');
  process.env.AUTOTIER_TASK_HUB = hub;
  process.env.AUTOTIER_TABLE_PREFIX = tablePrefix;
  process.env.AUTOTIER_DEV_ENDPOINTS = 'true';
  process.env.AUTOTIER_LINK_SIGNING_KEY ??= randomBytes(32).toString('hex');
  process.env.AUTOTIER_TIER_QUEUE_PREFIX = `${hub.toLowerCase()}-tier`;
  process.env.AUTOTIER_INTAKE_QUEUE = `${hub.toLowerCase()}-intake`;
  process.env.AUTOTIER_WEBHOOK_SECRETS ??= 'test-webhook-secret-new,test-webhook-secret-old';
  const clock = new VirtualClock(Date.parse('2026-03-02T10:00:00Z'));
  const quiet = process.env.AUTOTIER_TEST_LOGS === '1' ? undefined : () => {};
  const runtime = await LocalRuntime.start({
    appRoot,
    port: 0,
    clock,
    log: quiet,
    visibilityTimeoutSeconds: 5,
    maxPollIntervalMs: 200,
  });
  process.env.AUTOTIER_PUBLIC_BASE_URL = runtime.url;
  await seedClient(tablePrefix, DEMO_CLIENT);
  const kb = new TableKnowledgeBase(table(`${tablePrefix}Kb`));
  await kb.ensureTable();
  await importKb(path.join(APP_ROOT, 'kb'), kb, undefined);
  return {
    runtime,
    clock,
    hub,
    tablePrefix,
    post: (p, body) =>
      fetch(`${runtime.url}${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (p) => fetch(`${runtime.url}${p}`),
  };
}

export async function seedClient(tablePrefix: string, profile: ClientProfile): Promise<void> {
  const clients = new TableClientStore(table(`${tablePrefix}Clients`));
  await clients.ensureTable();
  await clients.put(profile);
}
