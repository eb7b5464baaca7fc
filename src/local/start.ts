/**
 * `npm start`: runs the compiled app on the local runtime. Without a storage setting it starts its
 * own Azurite (data under .azurite/) and seeds the `demo` client, so a new user can post a ticket.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { AZURITE_PORTS, devConnectionString, ensureAzurite } from './azurite';
import { VirtualClock } from './clock';
import { DEMO_GRAPH_PATH, demoTenant } from './demoTenant';
import { LocalRuntime } from './runtime';
import { seedDemo } from './seedDemo';

async function main(): Promise<void> {
  const appRoot = path.resolve(__dirname, '..', '..', '..');
  const settingsFile = path.join(appRoot, 'local.settings.json');
  if (existsSync(settingsFile)) {
    const { Values = {} } = JSON.parse(readFileSync(settingsFile, 'utf8')) as {
      Values?: Record<string, string>;
    };
    for (const [k, v] of Object.entries(Values)) process.env[k] ??= v;
  }
  // Where the embedded default keeps its data, and (for running two at once) Azurite's first port.
  const dataDir = path.resolve(process.env.AUTOTIER_LOCAL_DATA || path.join(appRoot, '.azurite'));
  const portBase = Number(process.env.AUTOTIER_AZURITE_PORT_BASE || 0);
  let azurite: Awaited<ReturnType<typeof ensureAzurite>> | undefined;
  const usesDevStorage =
    !process.env.AzureWebJobsStorage || /UseDevelopmentStorage=true/i.test(process.env.AzureWebJobsStorage);
  if (usesDevStorage && !process.env.AzureWebJobsStorage__tableServiceUri) {
    const ports = portBase ? { blob: portBase, queue: portBase + 1, table: portBase + 2 } : AZURITE_PORTS;
    process.env.AzureWebJobsStorage = portBase ? devConnectionString(ports) : 'UseDevelopmentStorage=true';
    azurite = await ensureAzurite({ appRoot, location: dataDir, ports });
    if (azurite.started) console.log(`Started Azurite (data in ${path.relative(appRoot, dataDir) || '.'}/)`);
  }
  // Settings used in binding expressions (%NAME%) must exist before the app loads, as in Azure.
  process.env.AUTOTIER_TASK_HUB ||= 'autotier';
  process.env.AUTOTIER_INTAKE_QUEUE ||= 'autotier-intake';
  process.env.AUTOTIER_LINK_SIGNING_KEY ||= localSigningKey(path.join(dataDir, 'link-signing-key'));

  const port = Number(process.env.PORT ?? 7071);
  const localUrl = `http://127.0.0.1:${port}`;
  process.env.AUTOTIER_PUBLIC_BASE_URL ||= localUrl;
  // The demo client's Entra ID: a Graph emulator on this port, so the playbooks that act can be tried.
  const graphBaseUrl = `${localUrl}${DEMO_GRAPH_PATH}`;
  const imported = await seedDemo(appRoot, { graphBaseUrl });
  if (imported > 0) console.log(`Knowledge base: ${imported} starter articles from kb/`);

  // AUTOTIER_VIRTUAL_CLOCK=1: time moves only through POST /_local/clock {"advanceMs": N}, so a
  // 4-hour SLA or a 7-day reopen window can be walked through by hand. Real time otherwise.
  const clock = process.env.AUTOTIER_VIRTUAL_CLOCK === '1' ? new VirtualClock(Date.now()) : undefined;
  const runtime = await LocalRuntime.start({
    appRoot,
    port,
    clock,
    mounts: { [DEMO_GRAPH_PATH]: demoTenant().handle },
  });
  const functions = [...runtime.registry.functions.values()].map((f) => `${f.name} (${f.trigger.type})`);
  console.log(`autotier is running at ${runtime.url}  (functions: ${functions.join(', ')})`);
  console.log(
    `The demo client's directory is a Microsoft Graph emulator at ${graphBaseUrl}/v1.0 (users, subscribedSkus); README "Try every playbook" has a ticket for each playbook.`,
  );
  if (clock)
    console.log(
      `Virtual clock: move it with curl -s -X POST ${runtime.url}/_local/clock -d '{"advanceMs": 3600000}'`,
    );
  console.log(`Post a ticket:
  curl -s -X POST ${runtime.url}/api/tickets -H 'content-type: application/json' \\
    -d '{"clientId":"demo","requester":{"name":"Sam Lee","email":"sam@demo.example"},"subject":"Locked out of my account","body":"I typed my password wrong too many times."}'
Then read the mail it sent: curl -s '${runtime.url}/api/dev/outbox?to=sam@demo.example'`);

  // A clean stop finishes the work in hand, then lets Azurite save its data before it exits.
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping: finishing work in hand and saving data...');
    await runtime.stop();
    await azurite?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

/** A random key made once per checkout and kept beside the local data, never in the repository. */
function localSigningKey(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
