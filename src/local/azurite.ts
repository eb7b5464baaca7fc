import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const AZURITE_PORTS = { blob: 10000, queue: 10001, table: 10002 } as const;

export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface AzuriteHandle {
  /** false when Azurite was already running and is left alone. */
  started: boolean;
  stop(): Promise<void>;
}

/**
 * Starts Azurite from node_modules unless something already listens on its ports.
 * `location` keeps data on disk (npm start); without it the data lives in memory (tests).
 */
export async function ensureAzurite(options: {
  appRoot: string;
  location?: string;
  quiet?: boolean;
}): Promise<AzuriteHandle> {
  const ports = Object.values(AZURITE_PORTS);
  const listening = await Promise.all(ports.map((p) => isListening(p)));
  if (listening.every(Boolean)) return { started: false, stop: async () => {} };
  if (listening.some(Boolean))
    throw new Error(
      `some Azurite ports (${ports.join(', ')}) are taken by something else; free them or set AzureWebJobsStorage`,
    );

  const bin = path.join(options.appRoot, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
  const args = [
    bin,
    '--silent',
    '--skipApiVersionCheck',
    '--loose',
    '--disableProductStyleUrl',
    '--disableTelemetry',
  ];
  args.push(...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']));
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: options.quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (!(await Promise.all(ports.map((p) => isListening(p)))).every(Boolean)) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('Azurite did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    started: true,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
