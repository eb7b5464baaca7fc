/**
 * Classifier figures for npm run bench: training time, model load time, and single-core
 * prediction throughput (features included), for the built-in model and, where shared/ sits
 * beside the checkout, for a model trained on the public IT-ticket corpus.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { readLabelledCsv } from '../src/cli/files';
import { classifyTicket } from '../src/domain/classification';
import { LAYOUT_V2 } from '../src/domain/model/features';
import { TextClassifier } from '../src/domain/model/textClassifier';

export interface ClassifierFigures {
  trainMs: number;
  /** Training on the public corpus (38,270 tickets), or on 48,000 MSP tickets without it. */
  trainLargeMs: number | null;
  /** Predictions per second of the public corpus's model over its own tickets, one core. */
  publicPredictPerSec: number | null;
  loadMs: number;
  predictPerSec: number;
  classifyPerSec: number;
}

export function classifierBench(
  appRoot: string,
  options: { skipLarge?: boolean } = {},
): { lines: string[]; figures: ClassifierFigures } {
  const rows = readLabelledCsv(
    path.join(appRoot, 'data', 'msp-tickets.csv'),
    ['subject', 'body'],
    'category',
  );
  const texts = rows.map((r) => r.text);
  const labels = rows.map((r) => r.label);
  const lines: string[] = [];

  let t = performance.now();
  // As the build trains the built-in model (scripts/build.mjs): no skip-grams.
  TextClassifier.train(texts, labels, { layout: LAYOUT_V2 });
  const trainMs = Math.round(performance.now() - t);
  lines.push(`train on the MSP corpus (${rows.length} tickets): ${trainMs} ms`);
  const file = path.join(appRoot, 'dist', 'models', 'builtin.bin.gz');
  t = performance.now();
  const model = TextClassifier.deserialize(readFileSync(file));
  const loadMs = Math.round(performance.now() - t);
  lines.push(
    `load the built-in model (${Math.round(readFileSync(file).length / 1024)} KiB gzip): ${loadMs} ms`,
  );

  const n = 20_000;
  const predictPerSec = predictionsPerSecond(model, texts, n);
  const modelMs = (n / predictPerSec) * 1000;
  t = performance.now();
  for (let i = 0; i < n; i++) {
    const r = rows[i % rows.length];
    classifyTicket(r?.record.subject ?? '', r?.record.body ?? '', 0.6, model);
  }
  const pipelineMs = performance.now() - t;
  const classifyPerSec = Math.round(n / (pipelineMs / 1000));
  lines.push(
    `predict, one core: model ${predictPerSec} tickets/s (${((modelMs / n) * 1000).toFixed(1)} µs each); full classification with safety screen and priority ${classifyPerSec} tickets/s`,
  );
  // Last, so its garbage is not collected while the built-in model is timed.
  let trainLargeMs: number | null = null;
  let publicPredictPerSec: number | null = null;
  const corpus = [
    path.join(appRoot, '..', 'shared', 'data', PUBLIC_CORPUS),
    path.join(appRoot, '..', '..', 'shared', 'data', PUBLIC_CORPUS),
  ].find((p) => existsSync(p));
  if (!options.skipLarge && corpus) {
    const tickets = readLabelledCsv(corpus, ['Document'], 'Topic_group');
    t = performance.now();
    const model = TextClassifier.train(
      tickets.map((r) => r.text),
      tickets.map((r) => r.label),
    );
    trainLargeMs = Math.round(performance.now() - t);
    publicPredictPerSec = predictionsInFreshProcess(appRoot, model, corpus);
    lines.push(
      `train on the public IT-ticket corpus (${tickets.length} tickets, the default features): ${(trainLargeMs / 1000).toFixed(1)} s; that model loaded in a new process predicts its tickets at ${publicPredictPerSec} tickets/s, one core`,
    );
  } else if (!options.skipLarge) {
    // The size of the public IT-ticket corpus named in the classification issue (47.8k tickets).
    const big = Array.from({ length: 48_000 }, (_, i) => i % rows.length);
    t = performance.now();
    TextClassifier.train(
      big.map((i) => texts[i] ?? ''),
      big.map((i) => labels[i] ?? ''),
    );
    trainLargeMs = Math.round(performance.now() - t);
    lines.push(
      `train on 48,000 tickets (no public corpus beside the checkout): ${(trainLargeMs / 1000).toFixed(1)} s`,
    );
  }

  return {
    lines,
    figures: { trainMs, trainLargeMs, publicPredictPerSec, loadMs, predictPerSec, classifyPerSec },
  };
}

const PUBLIC_CORPUS = 'it-service-tickets-train.csv';

/**
 * The model as the app meets it, loaded from its file in a process of its own: here, right after
 * training, the garbage of training is still being collected and would be timed too.
 */
function predictionsInFreshProcess(appRoot: string, model: TextClassifier, corpus: string): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'autotier-bench-'));
  try {
    const file = path.join(dir, 'public.bin.gz');
    writeFileSync(file, model.serialize());
    const probe = `
      const [root, file, corpus] = process.argv.slice(1);
      const { readFileSync } = require('fs');
      const { TextClassifier } = require(root + '/dist/src/domain/model/textClassifier.js');
      const { readLabelledCsv } = require(root + '/dist/src/cli/files.js');
      const { predictionsPerSecond } = require(root + '/dist/bench/classifier.js');
      const model = TextClassifier.deserialize(readFileSync(file));
      const texts = readLabelledCsv(corpus, ['Document'], 'Topic_group').map((r) => r.text);
      console.log(predictionsPerSecond(model, texts, 20000));`;
    const out = execFileSync(process.execPath, ['-e', probe, path.resolve(appRoot), file, corpus], {
      encoding: 'utf8',
    });
    return Number(out.trim().split('\n').at(-1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Predictions per second over `n` of the texts (cycling), after an untimed warm-up. */
export function predictionsPerSecond(model: TextClassifier, texts: string[], n = texts.length): number {
  for (let i = 0; i < 2000; i++) model.predict(texts[i % texts.length] ?? '');
  const t = performance.now();
  for (let i = 0; i < n; i++) model.predict(texts[i % texts.length] ?? '');
  return Math.round(n / ((performance.now() - t) / 1000));
}
