import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { APP_ROOT } from '../../support/runtime';
import { countRows, table, uniqueName } from '../../support/storage';

const SERVE = path.join(APP_ROOT, 'dist', 'tests', 'fixtures', 'durable-app', 'serve.js');

/** Starts the fixture app in a child process and resolves with its URL. */
function serve(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVE], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`fixture runtime exited early (${code})`)));
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('crash safety of the local durable runtime', () => {
  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.kill('SIGKILL')));

  it('finishes every orchestration after a SIGKILL, with no side effect applied twice', async () => {
    const env = {
      AUTOTIER_TASK_HUB: uniqueName('crash'),
      FIXTURE_EFFECTS_TABLE: uniqueName('effects'),
      FIXTURE_POISON_QUEUE: uniqueName('p-'),
      FIXTURE_OK_QUEUE: uniqueName('o-'),
      FIXTURE_CLOCK_START: String(Date.now()),
    };
    const first = await serve(env);
    children.push(first.child);
    const status = async (url: string, id: string) => {
      const res = await fetch(`${url}/durabletask/instances/${id}`);
      return res.status === 404
        ? undefined
        : ((await res.json()) as { runtimeStatus: string; customStatus: unknown });
    };
    for (const [name, id] of [
      ['crashTimer', 'on-timer'],
      ['crashEvent', 'on-event'],
      ['crashActivity', 'in-activity'],
    ]) {
      const res = await fetch(`${first.url}/durabletask/orchestrators/${name}/${id}`, {
        method: 'POST',
        body: '',
      });
      assert.equal(res.status, 202);
    }
    const effects = table(env.FIXTURE_EFFECTS_TABLE);
    await waitFor('orchestrations waiting', async () =>
      (await status(first.url, 'on-timer'))?.customStatus === 'waiting on timer' &&
      (await status(first.url, 'on-event'))?.customStatus === 'waiting on event'
        ? true
        : undefined,
    );
    // Kill while the slow activity is in the middle of its work.
    await waitFor('slow activity started', async () =>
      (await effects.createTable().then(() => countRows(effects, "PartitionKey eq 'started'"))) > 0
        ? true
        : undefined,
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await serve(env);
    children.push(second.child);
    const raised = await fetch(`${second.url}/durabletask/instances/on-event/raiseEvent/go`, {
      method: 'POST',
      body: '{}',
    });
    assert.equal(raised.status, 202);
    const advanced = await fetch(`${second.url}/_local/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: 2 * 60 * 60 * 1000 }),
    });
    assert.equal(advanced.status, 200);

    for (const id of ['on-timer', 'on-event', 'in-activity']) {
      await waitFor(`${id} completed`, async () =>
        (await status(second.url, id))?.runtimeStatus === 'Completed' ? true : undefined,
      );
    }
    for (const id of ['on-timer', 'on-event', 'in-activity']) {
      assert.equal(
        await countRows(effects, `PartitionKey eq 'effect' and RowKey eq '${id}'`),
        1,
        `${id}: the effect happened exactly once`,
      );
    }
    // The activity interrupted by the kill ran again: at-least-once, absorbed by the keyed effect.
    assert.ok((await countRows(effects, "PartitionKey eq 'started'")) >= 2);
    second.child.kill('SIGTERM');
  });
});
