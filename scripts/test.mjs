// The test levels (README "Tests"), over the compiled tests under dist/tests:
//   node scripts/test.mjs                      every level: unit first, then integration and e2e with Azurite
//   node scripts/test.mjs --level unit         tests/unit: no Azurite is started, and none may be needed
//   node scripts/test.mjs --level integration  tests/integration and tests/contracts, with Azurite
//   node scripts/test.mjs --level e2e          tests/e2e (the app over HTTP, npm start, the browser), with Azurite
//   node scripts/test.mjs dist/tests/x.test.js  these files, with Azurite
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = path.resolve(here, '..');

const LEVELS = {
  unit: ['dist/tests/unit/**/*.test.js'],
  integration: ['dist/tests/integration/**/*.test.js', 'dist/tests/contracts/**/*.test.js'],
  e2e: ['dist/tests/e2e/**/*.test.js'],
};

const args = process.argv.slice(2);
const levelAt = args.indexOf('--level');
const level = levelAt >= 0 ? args[levelAt + 1] : undefined;
const files = levelAt >= 0 ? [...args.slice(0, levelAt), ...args.slice(levelAt + 2)] : args;
if (level !== undefined && !(level in LEVELS)) {
  console.error(`unknown level "${level}": one of ${Object.keys(LEVELS).join(', ')}`);
  process.exit(2);
}

const nodeTest = (patterns) => ['--test', '--test-concurrency=2', '--test-reporter=spec', ...patterns];

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: appRoot, env });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const withAzurite = (patterns) => run(process.execPath, [path.join(here, 'with-azurite.mjs'), 'node', ...nodeTest(patterns)]);

function isListening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A port nothing listens on now (the OS handed it out and it was closed again). */
function closedPort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Unit tests run without Azurite. Storage points at ports nothing listens on, so a unit test that
 * reaches for storage fails at once instead of quietly using an Azurite someone left running; and
 * afterwards nothing may listen where Azurite would (the default ports, this checkout's, and the
 * ones handed to the tests) that did not listen before.
 */
async function unit(patterns) {
  const dead = [await closedPort(), await closedPort(), await closedPort()];
  const base = Number(process.env.AUTOTIER_AZURITE_PORT_BASE || 0);
  const watched = [...new Set([10000, 10001, 10002, ...(base ? [base, base + 1, base + 2] : []), ...dead])];
  const before = await Promise.all(watched.map(isListening));
  const endpoint = (port) => `http://127.0.0.1:${port}/devstoreaccount1`;
  const storage =
    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=' +
    'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
    `BlobEndpoint=${endpoint(dead[0])};QueueEndpoint=${endpoint(dead[1])};TableEndpoint=${endpoint(dead[2])};`;
  console.log(`Unit tests: no Azurite; storage points at closed ports ${dead.join(', ')}.`);
  const code = await run(process.execPath, nodeTest(patterns), { ...process.env, AzureWebJobsStorage: storage });
  const after = await Promise.all(watched.map(isListening));
  const left = watched.filter((_, i) => after[i] && !before[i]);
  if (left.length) {
    console.error(`Unit tests left something listening on ${left.join(', ')}: a unit test started a server it did not stop.`);
    return code || 1;
  }
  console.log(`Unit tests: nothing new listens on ${watched.join(', ')}.`);
  return code;
}

let code;
if (files.length) code = level === 'unit' ? await unit(files) : await withAzurite(files);
else if (level === 'unit') code = await unit(LEVELS.unit);
else if (level) code = await withAzurite(LEVELS[level]);
else {
  const unitCode = await unit(LEVELS.unit);
  const restCode = await withAzurite([...LEVELS.integration, ...LEVELS.e2e]);
  code = unitCode || restCode;
}
process.exit(code);
