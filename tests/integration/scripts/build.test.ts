/**
 * scripts/build.mjs (npm run build) on a small project of its own: it compiles and trains only what
 * changed, and never leaves output that a changed or deleted source would make stale.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { APP_ROOT } from '../../support/paths';

const root = mkdtempSync(path.join(tmpdir(), 'autotier-build-'));
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};
mkdirSync(path.join(root, 'scripts'));
copyFileSync(path.join(APP_ROOT, 'scripts', 'build.mjs'), path.join(root, 'scripts', 'build.mjs'));
symlinkSync(path.join(APP_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
write(
  'tsconfig.json',
  JSON.stringify({
    compilerOptions: {
      target: 'ES2023',
      module: 'commonjs',
      types: ['node'],
      outDir: 'dist',
      rootDir: '.',
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
    },
    include: ['src/**/*.ts', 'tests/**/*.ts'],
  }),
);
write('data/msp-tickets.csv', 'subject,body,category,split\na,b,engineering,train\n');
// A stand-in for the CLI's `classifier train`: it writes the model and says so.
write(
  'src/cli/autotier.ts',
  `import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { train } from './classifierCommands';
const out = process.argv[process.argv.indexOf('--out') + 1] ?? 'model';
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, train());
console.log('trained on the data');
`,
);
write(
  'src/cli/classifierCommands.ts',
  `import { weights } from '../domain/model';\nexport const train = () => weights();\n`,
);
write('src/domain/model.ts', `export const weights = () => 'v1';\n`);
write('src/other.ts', `export const other = 1;\n`);
write('tests/other.test.ts', `export const t = 1;\n`);

const build = (...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
};
const mtime = (file: string) => statSync(path.join(root, 'dist', file)).mtimeMs;
const MODEL = 'models/builtin.bin.gz';

describe('npm run build (scripts/build.mjs)', () => {
  it('compiles and trains the first time, and does neither again while nothing changed', () => {
    const first = build();
    assert.match(first, /^tsc: compiled in \d+ ms/m);
    assert.match(first, /^trained on the data$/m);
    assert.ok(
      (statSync(path.join(root, 'dist', 'src', 'cli', 'autotier.js')).mode & 0o111) !== 0,
      'the CLI stays executable',
    );
    const times = ['src/other.js', 'src/cli/autotier.js', MODEL].map(mtime);
    const again = build();
    assert.match(again, /^tsc: sources unchanged since the last build, nothing to compile$/m);
    assert.match(again, /^model: data and training code unchanged/m);
    assert.deepEqual(['src/other.js', 'src/cli/autotier.js', MODEL].map(mtime), times);
  });

  it('a changed source is compiled; the model is retrained only when its training code changed', () => {
    write('src/other.ts', `export const other = 2;\n`);
    const out = build();
    assert.match(out, /^tsc: compiled/m);
    assert.match(readFileSync(path.join(root, 'dist', 'src', 'other.js'), 'utf8'), /other = 2/);
    assert.match(out, /^model: data and training code unchanged/m, 'other.ts is not training code');

    write('src/domain/model.ts', `export const weights = () => 'v2';\n`);
    const retrained = build();
    assert.match(retrained, /^trained on the data$/m);
    assert.equal(readFileSync(path.join(root, 'dist', MODEL), 'utf8'), 'v2');
  });

  it('changed data retrains without compiling', () => {
    write('data/msp-tickets.csv', 'subject,body,category,split\nc,d,engineering,train\n');
    const out = build();
    assert.match(out, /^tsc: sources unchanged/m);
    assert.match(out, /^trained on the data$/m);
  });

  it("a deleted source's output is deleted; a deleted output is compiled again", () => {
    rmSync(path.join(root, 'tests', 'other.test.ts'));
    assert.match(build(), /removed 1 stale file whose source is gone/);
    assert.equal(existsSync(path.join(root, 'dist', 'tests', 'other.test.js')), false);

    rmSync(path.join(root, 'dist', 'src', 'other.js'));
    assert.match(build(), /^tsc: compiled/m);
    assert.ok(existsSync(path.join(root, 'dist', 'src', 'other.js')));
  });

  it('a type error fails the build, and the next build still reports it', () => {
    write('src/other.ts', `export const other: number = 'three';\n`);
    for (let i = 0; i < 2; i++) {
      const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
        cwd: root,
        encoding: 'utf8',
      });
      assert.notEqual(r.status, 0);
      assert.match(r.stdout + r.stderr, /TS2322/);
    }
    write('src/other.ts', `export const other = 3;\n`);
    assert.match(build(), /^tsc: compiled/m);
  });

  it('--clean starts from an empty dist/', () => {
    const out = build('--clean');
    assert.match(out, /^tsc: compiled/m);
    assert.match(out, /^trained on the data$/m);
  });
});
