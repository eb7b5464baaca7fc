import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A headless Chromium to test pages in: CHROMIUM_BIN, else the first of the usual names on PATH. */
export function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM_BIN
    ? [process.env.CHROMIUM_BIN]
    : ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'].flatMap((name) =>
        (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, name)),
      );
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Nothing reaches the internet: no updates, sync, metrics or safe-browsing calls. */
const QUIET = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-sync',
  '--metrics-recording-only',
  '--hide-scrollbars',
];

async function run(bin: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const profile = mkdtempSync(path.join(tmpdir(), 'autotier-chromium-'));
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = spawn(bin, [...QUIET, `--user-data-dir=${profile}`, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`chromium exited with ${code}: ${err.slice(-2000)}`));
      });
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * The DOM after the page loaded and its scripts ran: virtual time runs on until the budget is
 * spent, and waits for the page's own fetches while it does.
 */
export function dumpDom(bin: string, url: string, budgetMs = 5000): Promise<string> {
  return run(bin, [`--virtual-time-budget=${budgetMs}`, '--dump-dom', url]);
}

export async function screenshot(bin: string, url: string, file: string, size = '1400,1000'): Promise<void> {
  await run(bin, [
    '--virtual-time-budget=5000',
    `--window-size=${size}`,
    `--screenshot=${path.resolve(file)}`,
    url,
  ]);
}
