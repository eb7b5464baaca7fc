/**
 * A warm start: `npm start` as a user runs it (its own Azurite with data on disk, the build first),
 * stopped and run again with nothing changed; the figure is the second start's time from the
 * command to the first `200` from `/api/health`. The first start is not timed: it may compile,
 * train and create the Azurite data.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { isListening } from '../src/local/azurite';

export interface WarmStartFigures {
  warmStartMs: number;
  /** What the second start's build said it did: nothing, when it works. */
  warmBuild: string[];
}

async function freePorts(count: number): Promise<number> {
  for (;;) {
    const base = 40_000 + Math.floor(Math.random() * 9_000);
    const open = await Promise.all(Array.from({ length: count }, (_, i) => isListening(base + i)));
    if (!open.some(Boolean)) return base;
  }
}

/** npm itself: the one running this script when there is one, otherwise the one on PATH. */
function npm(args: string[]): [string, string[]] {
  const cli = process.env.npm_execpath;
  return cli && cli.endsWith('.js') ? [process.execPath, [cli, ...args]] : ['npm', args];
}

async function startOnce(appRoot: string, env: NodeJS.ProcessEnv, port: number) {
  const started = Date.now();
  const [command, args] = npm(['start']);
  // Its own process group, as in a terminal: Ctrl-C (SIGINT to the group) stops it cleanly.
  const child = spawn(command, args, {
    cwd: appRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let healthyMs: number | undefined;
  while (healthyMs === undefined) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}: ${out}`);
    if (Date.now() - started > 120_000) throw new Error(`npm start did not answer within 120 s: ${out}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) healthyMs = Date.now() - started;
    else await new Promise((r) => setTimeout(r, 50));
  }
  // start.js takes Ctrl-C once it has said where to post a ticket (health answers a little earlier).
  while (!out.includes('curl -s -X POST')) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}: ${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  process.kill(-(child.pid ?? 0), 'SIGINT');
  await exited;
  // npm exits at once; start.js goes on finishing its work and stopping its Azurite. The next
  // start must not find that Azurite still up (it would use it and skip the start being measured).
  await gone(child.pid ?? 0);
  return { ms: healthyMs, output: out };
}

/** Waits until no process of the group is left (start.js stops its Azurite before it exits). */
async function gone(group: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      process.kill(-group, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`npm start (process group ${group}) did not stop within 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function warmStartBench(appRoot: string): Promise<WarmStartFigures> {
  const data = mkdtempSync(path.join(tmpdir(), 'autotier-bench-start-'));
  const port = await freePorts(1);
  const azuriteBase = await freePorts(3);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    AzureWebJobsStorage: '',
    AUTOTIER_AZURITE_PORT_BASE: String(azuriteBase),
    AUTOTIER_LOCAL_DATA: data,
    AUTOTIER_PUBLIC_BASE_URL: '',
  };
  try {
    await startOnce(appRoot, env, port);
    const warm = await startOnce(appRoot, env, port);
    if (!/^Started Azurite/m.test(warm.output))
      throw new Error(`the warm start did not start its own Azurite: ${warm.output}`);
    return {
      warmStartMs: warm.ms,
      warmBuild: warm.output.split('\n').filter((l) => /^(tsc|model): /.test(l)),
    };
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}
