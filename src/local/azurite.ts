import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export interface AzuritePorts {
  blob: number;
  queue: number;
  table: number;
}

export const AZURITE_PORTS: AzuritePorts = { blob: 10000, queue: 10001, table: 10002 };

/** Azurite's published development account (the same name and key every Azure SDK documents). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A connection string for Azurite's development account on the given ports. */
export function devConnectionString(ports: AzuritePorts, host = '127.0.0.1'): string {
  const endpoint = (port: number) => `http://${host}:${port}/${DEV_ACCOUNT}`;
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `BlobEndpoint=${endpoint(ports.blob)};QueueEndpoint=${endpoint(ports.queue)};TableEndpoint=${endpoint(ports.table)};`
  );
}

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
  /** Stops Azurite and waits until it has saved its data and exited. */
  stop(): Promise<void>;
}

/**
 * Starts Azurite from node_modules unless something already listens on its ports.
 * `location` keeps data on disk (npm start); without it the data lives in memory (tests).
 *
 * Azurite runs in a process group of its own: Ctrl-C in a terminal signals the whole foreground
 * group, and Azurite handling that signal while it is also being stopped crashed before saving
 * (it saves every few seconds and when it closes). Only `stop()` stops it, once, after the app
 * has finished its work.
 */
export async function ensureAzurite(options: {
  appRoot: string;
  location?: string;
  quiet?: boolean;
  ports?: AzuritePorts;
}): Promise<AzuriteHandle> {
  const p = options.ports ?? AZURITE_PORTS;
  const ports = [p.blob, p.queue, p.table];
  const listening = await Promise.all(ports.map((port) => isListening(port)));
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
    '--blobPort',
    String(p.blob),
    '--queuePort',
    String(p.queue),
    '--tablePort',
    String(p.table),
  ];
  args.push(...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']));
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: options.quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  // If this process dies without stopping it, Azurite goes too (it would hold the ports).
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  const deadline = Date.now() + 30_000;
  while (!(await Promise.all(ports.map((port) => isListening(port)))).every(Boolean)) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('Azurite did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  let stopping: Promise<void> | undefined;
  return {
    started: true,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        process.off('exit', orphanGuard);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      })),
  };
}
