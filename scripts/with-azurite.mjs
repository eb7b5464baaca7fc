// Runs a command with Azurite available: uses one already listening on 10000-10002 (or on
// AUTOTIER_AZURITE_PORT_BASE and the next two), otherwise
// starts an in-memory Azurite from node_modules and stops it afterwards.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { ensureAzurite, devConnectionString, AZURITE_PORTS } = require(path.join(appRoot, 'dist/src/local/azurite.js'));

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-azurite.mjs <command> [args...]');
  process.exit(2);
}
// AUTOTIER_AZURITE_PORT_BASE (as for npm start) puts this run's Azurite on other ports, so two
// checkouts can test at once without sharing (or stopping) each other's Azurite.
const portBase = Number(process.env.AUTOTIER_AZURITE_PORT_BASE || 0);
const ports = portBase ? { blob: portBase, queue: portBase + 1, table: portBase + 2 } : AZURITE_PORTS;
const azurite = await ensureAzurite({ appRoot, quiet: true, ports });
const where = `${ports.blob}-${ports.table}`;
console.log(azurite.started ? `Started in-memory Azurite for this run (${where}).` : `Using the Azurite already listening on ${where}.`);
const storage = portBase ? devConnectionString(ports) : 'UseDevelopmentStorage=true';
const env = { ...process.env, AzureWebJobsStorage: process.env.AzureWebJobsStorage || storage };
const child = spawn(command === 'node' ? process.execPath : command, args, { stdio: 'inherit', env });
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await azurite.stop();
process.exit(code);
