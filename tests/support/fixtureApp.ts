import type { FixtureState } from '../fixtures/durable-app/functions';
import { FIXTURE_ROOT, startTestRuntime, type TestRuntime } from './runtime';
import { uniqueName } from './storage';

export interface FixtureRuntime extends TestRuntime {
  start(name: string, id: string, input?: unknown): Promise<void>;
  raise(id: string, event: string, data: unknown): Promise<Response>;
  status(
    id: string,
    history?: boolean,
  ): Promise<{
    runtimeStatus: string;
    output: unknown;
    customStatus: unknown;
    history?: { EventType: number }[];
  }>;
  state(): FixtureState;
}

/** The fixture app on a fresh hub, driven through the app-side durable client over HTTP. */
export async function startFixtureRuntime(): Promise<FixtureRuntime> {
  process.env.FIXTURE_POISON_QUEUE = uniqueName('poison-');
  process.env.FIXTURE_OK_QUEUE = uniqueName('ok-');
  process.env.FIXTURE_EFFECTS_TABLE = uniqueName('effects');
  const t = await startTestRuntime(FIXTURE_ROOT);
  return {
    ...t,
    async start(name, id, input) {
      const res = await t.post(`/api/client/start/${id}/${name}`, input === undefined ? '' : input);
      if (res.status !== 202) throw new Error(`start ${name}: ${res.status} ${await res.text()}`);
      await t.runtime.drain();
    },
    async raise(id, event, data) {
      const res = await t.post(`/api/client/raise/${id}/${event}`, data);
      await t.runtime.drain();
      return res;
    },
    async status(id, history = false) {
      const res = await t.get(`/api/client/status/${id}${history ? '?history=true' : ''}`);
      if (res.status !== 200) throw new Error(`status ${id}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Awaited<ReturnType<FixtureRuntime['status']>>;
    },
    state: () => (globalThis as unknown as { __fixture: FixtureState }).__fixture,
  };
}
