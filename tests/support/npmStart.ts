import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

import { APP_ROOT } from './runtime';

/** `npm start` without the build: the embedded default. */
export const START_JS = path.join(APP_ROOT, 'dist', 'src', 'local', 'start.js');

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/**
 * Starts the embedded default with these settings over the test's own. `ready` settles once it
 * has printed where to post a ticket (or rejects when it exits first).
 */
export function launchStart(env: NodeJS.ProcessEnv) {
  // Its own process group, as a terminal runs it: Ctrl-C signals the whole group.
  const proc = spawn(process.execPath, [START_JS], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('curl -s -X POST')) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    proc.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`start exited with ${code}: ${out}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
  return { proc, ready, exited, output: () => out };
}

/** Polls `check` until it holds or `ms` pass; says which. */
export async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
