import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { AZURITE_PORTS, devConnectionString } from '../local/azurite';

/** The checkout (or installed package) the CLI runs from: dist/src/cli is three levels below it. */
export const APP_ROOT = path.resolve(__dirname, '..', '..', '..');

const STORAGE = 'AzureWebJobsStorage';

/** Whether the environment names a storage account, by connection string or by identity. */
export function storageConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env[STORAGE] ||
    Object.keys(env).some((k) => k.startsWith(`${STORAGE}__`) && k.endsWith('ServiceUri') && env[k]),
  );
}

/**
 * Without a storage setting the CLI uses what `npm start` uses: local.settings.json's values (as
 * start reads them, never over a setting already made), then the Azurite that `npm start` runs
 * on 10000-10002, or on AUTOTIER_AZURITE_PORT_BASE and the next two. Returns where that is.
 */
export function defaultToLocalStorage(env: NodeJS.ProcessEnv = process.env, appRoot = APP_ROOT): void {
  const settingsFile = path.join(appRoot, 'local.settings.json');
  if (existsSync(settingsFile)) {
    try {
      const { Values = {} } = JSON.parse(readFileSync(settingsFile, 'utf8')) as {
        Values?: Record<string, string>;
      };
      for (const [k, v] of Object.entries(Values)) env[k] ??= v;
    } catch {
      throw new Error(`${settingsFile} is not valid JSON: fix it or remove it`);
    }
  }
  if (storageConfigured(env) && !/UseDevelopmentStorage=true/i.test(env[STORAGE] ?? '')) return;
  const portBase = Number(env.AUTOTIER_AZURITE_PORT_BASE || 0);
  env[STORAGE] = portBase
    ? devConnectionString({ blob: portBase, queue: portBase + 1, table: portBase + 2 })
    : // The same endpoints as UseDevelopmentStorage=true, spelled out so a failure can name them.
      devConnectionString(AZURITE_PORTS);
}

/**
 * One line for a failure the user can act on. Storage that does not answer names where it looked
 * and what to do; anything else is its own first line.
 */
export function failureLine(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const e = err as { code?: string; message?: string; cause?: unknown; errors?: unknown[] };
  const codes = [e.code, (e.cause as { code?: string } | undefined)?.code];
  const nested = [...(e.errors ?? []), e.cause].filter(Boolean) as {
    address?: string;
    port?: number;
    code?: string;
  }[];
  const message = e.message ?? String(err);
  const refused =
    codes.includes('ECONNREFUSED') ||
    nested.some((n) => n.code === 'ECONNREFUSED') ||
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/.test(message);
  if (refused) {
    const where =
      /(?:ECONNREFUSED|ETIMEDOUT|ECONNRESET) ([\w.:[\]-]+:\d+)/.exec(message)?.[1] ??
      nested.map((n) => (n.address && n.port ? `${n.address}:${n.port}` : '')).find(Boolean) ??
      storageHost(env[STORAGE]);
    return `cannot reach storage at ${where} — run \`npm start\` first or set AzureWebJobsStorage`;
  }
  return (message.split('\n')[0] ?? '').trim() || 'failed';
}

function storageHost(connection: string | undefined): string {
  const table = /TableEndpoint=https?:\/\/([^/;]+)/i.exec(connection ?? '')?.[1];
  const account = /AccountName=([^;]+)/i.exec(connection ?? '')?.[1];
  return table ?? (account ? `${account}.table.core.windows.net` : 'the configured account');
}
