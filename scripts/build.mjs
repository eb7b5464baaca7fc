// npm run build: compiles to dist/ and trains the built-in model, doing only what changed.
//   - tsc runs only when a source, tsconfig.json or the lockfile changed since the last good build
//     (a content hash of them all, kept in dist/.build-stamp.json), and then incrementally
//     (dist/.tsbuildinfo). Output whose source is gone is deleted, so it can never run or be tested.
//   - the model is trained only when its data or the code that trains it changed (another hash).
//   node scripts/build.mjs --clean   (npm run build:clean) starts from an empty dist/.
// Each step says what it did ("tsc: ..." and "model: ..."), so a start that did nothing can be seen.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(appRoot, 'dist');
const stampFile = path.join(dist, '.build-stamp.json');
const buildInfo = path.join(dist, '.tsbuildinfo');
/** The folders tsconfig.json includes (src, tests, bench, tools: **\/*.ts). */
const SOURCE_DIRS = ['src', 'tests', 'bench', 'tools'];
const MODEL = 'dist/models/builtin.bin.gz';
// No skip-grams for the built-in model: on its own held-out phrasing families they cost it
// (model alone 0.795 -> 0.747, automated at 0.6: 217 -> 191 of 336); 1,466 synthetic tickets teach
// few word pairs that carry over to new wording. Real tickets (the public corpus, a PSA export)
// gain from them, so `classifier train` uses them by default (README, "Classification").
const TRAIN = [
  'classifier',
  'train',
  '--data',
  'data/msp-tickets.csv',
  '--text-column',
  'subject,body',
  '--label-column',
  'category',
  '--split-column',
  'split',
  '--skip-window',
  '0',
  '--out',
  MODEL,
];

if (process.argv.includes('--clean')) rmSync(dist, { recursive: true, force: true });

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

const rel = (file) => path.relative(appRoot, file).split(path.sep).join('/');
const isSource = (file) => file.endsWith('.ts') && !file.endsWith('.d.ts');
const hashFiles = (files, extra = '') => {
  const hash = createHash('sha256').update(extra);
  for (const file of [...files].sort()) hash.update(`\0${rel(file)}\0`).update(readFileSync(file));
  return hash.digest('hex');
};
const readStamp = () => {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return {};
  }
};
const writeStamp = (stamp) => {
  mkdirSync(dist, { recursive: true });
  writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
};

// --- tsc ---------------------------------------------------------------------------------------
const sources = SOURCE_DIRS.flatMap((d) => walk(path.join(appRoot, d))).filter(isSource);
const compiled = (source) => path.join(dist, path.relative(appRoot, source)).replace(/\.ts$/, '.js');
const tsInputs = [
  ...sources,
  ...['tsconfig.json', 'package-lock.json'].map((f) => path.join(appRoot, f)).filter(existsSync),
];
const tsHash = hashFiles(tsInputs, process.version);
const stamp = readStamp();
const outputsPresent = sources.every((s) => existsSync(compiled(s)));

/** Compiled files whose source is gone (a deleted or moved test would otherwise still run). */
function pruneStale() {
  const expected = new Set(sources.map(compiled));
  let removed = 0;
  for (const dir of SOURCE_DIRS)
    for (const file of walk(path.join(dist, dir))) {
      const js = file.endsWith('.js.map') ? file.slice(0, -'.map'.length) : file;
      if (js.endsWith('.js') && !expected.has(js)) {
        rmSync(file);
        removed++;
      }
    }
  return removed;
}

if (stamp.tsc === tsHash && outputsPresent) {
  console.log('tsc: sources unchanged since the last build, nothing to compile');
} else {
  // A missing output is something tsc's incremental state does not notice: start that over.
  if (!outputsPresent) rmSync(buildInfo, { force: true });
  const started = Date.now();
  const tsc = spawnSync(
    process.execPath,
    [path.join(appRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', buildInfo],
    { cwd: appRoot, stdio: 'inherit' },
  );
  if (tsc.status !== 0) {
    // Never leave a stamp that vouches for this output.
    writeStamp({ ...stamp, tsc: undefined });
    process.exit(tsc.status ?? 1);
  }
  const removed = pruneStale();
  writeStamp({ ...stamp, tsc: tsHash });
  console.log(
    `tsc: compiled in ${Date.now() - started} ms${removed ? `; removed ${removed} stale file${removed === 1 ? '' : 's'} whose source is gone` : ''}`,
  );
}

// --- the built-in model ------------------------------------------------------------------------
/** A compiled module and every module of the app it requires. */
function requireClosure(entry) {
  const seen = new Set();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const target = path.resolve(path.dirname(file), spec);
      for (const candidate of [target, `${target}.js`, path.join(target, 'index.js')])
        if (existsSync(candidate) && statSync(candidate).isFile()) {
          stack.push(candidate);
          break;
        }
    }
  }
  return [...seen];
}

const cli = path.join(dist, 'src', 'cli', 'autotier.js');
// `node dist/src/cli/autotier.js` stays runnable by itself too (`npx autotier` goes through bin/).
if (existsSync(cli)) chmodSync(cli, 0o755);
const trainingCode = [cli, ...requireClosure(path.join(dist, 'src', 'cli', 'classifierCommands.js'))];
const modelHash = hashFiles(
  [path.join(appRoot, 'data', 'msp-tickets.csv'), ...new Set(trainingCode)],
  `${process.version}\0${TRAIN.join(' ')}`,
);
if (readStamp().model === modelHash && existsSync(path.join(appRoot, MODEL))) {
  console.log('model: data and training code unchanged, keeping dist/models/builtin.bin.gz');
} else {
  const train = spawnSync(process.execPath, [cli, ...TRAIN], { cwd: appRoot, stdio: 'inherit' });
  if (train.status !== 0) process.exit(train.status ?? 1);
  writeStamp({ ...readStamp(), model: modelHash });
}
