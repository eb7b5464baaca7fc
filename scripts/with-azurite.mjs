// Runs a command with Azurite available: uses one already listening on 10000-10002, otherwise
// starts an in-memory Azurite from node_modules and stops it afterwards.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { ensureAzurite } = require(path.join(appRoot, 'dist/src/local/azurite.js'));

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-azurite.mjs <command> [args...]');
  process.exit(2);
}
const azurite = await ensureAzurite({ appRoot, quiet: true });
console.log(azurite.started ? 'Started in-memory Azurite for this run.' : 'Using the Azurite already listening on 10000-10002.');
const env = { ...process.env, AzureWebJobsStorage: process.env.AzureWebJobsStorage ?? 'UseDevelopmentStorage=true' };
const child = spawn(command === 'node' ? process.execPath : command, args, { stdio: 'inherit', env });
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await azurite.stop();
process.exit(code);
