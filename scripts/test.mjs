// npm test: every compiled test file under dist/tests, with Azurite available.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv.slice(2);
const files = filter.length ? filter : ['dist/tests/**/*.test.js'];
const child = spawn(process.execPath, [path.join(here, 'with-azurite.mjs'), 'node', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  cwd: path.resolve(here, '..'),
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
