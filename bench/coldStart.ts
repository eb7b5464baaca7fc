/**
 * Cold start of the compiled app: a fresh Node process loads every entry point package.json names
 * (as the worker does on an instance's first invocation), then the built-in classifier model. Timed
 * from the process's own start (performance.now()), so Node's boot is in it; median of a few runs.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const PROBE = `
const root = process.argv[1];
process.env.AUTOTIER_DEV_ENDPOINTS ??= 'true';
process.env.FUNCTIONS_WORKER_RUNTIME ??= 'node';
const { loadApp } = require(require('path').join(root, 'dist/src/local/loadApp.js'));
const registry = loadApp(root, () => {});
const loadedMs = performance.now();
const { readFileSync } = require('fs');
const { BUILTIN_MODEL_FILE } = require(require('path').join(root, 'dist/src/composition/classifier.js'));
const { TextClassifier } = require(require('path').join(root, 'dist/src/domain/model/textClassifier.js'));
TextClassifier.deserialize(readFileSync(BUILTIN_MODEL_FILE));
console.log(JSON.stringify({ loadedMs, modelMs: performance.now() - loadedMs, functions: registry.functions.size, rssMiB: process.memoryUsage().rss / 1048576 }));
`;

export interface ColdStart {
  moduleLoadMs: number;
  modelLoadMs: number;
  functions: number;
  rssMiB: number;
}

export function coldStartBench(appRoot: string, runs = 3): ColdStart {
  const results = Array.from({ length: runs }, () => {
    const out = execFileSync(process.execPath, ['-e', PROBE, path.resolve(appRoot)], {
      encoding: 'utf8',
      env: { ...process.env, APPLICATIONINSIGHTS_CONNECTION_STRING: '' },
    });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
      loadedMs: number;
      modelMs: number;
      functions: number;
      rssMiB: number;
    };
  });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return {
    moduleLoadMs: Math.round(median(results.map((r) => r.loadedMs))),
    modelLoadMs: Math.round(median(results.map((r) => r.modelMs))),
    functions: results[0]?.functions ?? 0,
    rssMiB: Math.round(median(results.map((r) => r.rssMiB))),
  };
}
