/**
 * Classifier figures for npm run bench: training time, model load time, and single-core
 * prediction throughput (features included).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { readLabelledCsv } from '../src/cli/files';
import { classifyTicket } from '../src/domain/classification';
import { TextClassifier } from '../src/domain/model/textClassifier';

export interface ClassifierFigures {
  trainMs: number;
  trainLargeMs: number | null;
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
  TextClassifier.train(texts, labels);
  const trainMs = Math.round(performance.now() - t);
  lines.push(`train on the MSP corpus (${rows.length} tickets): ${trainMs} ms`);
  let trainLargeMs: number | null = null;
  if (!options.skipLarge) {
    // The size of the public IT-ticket corpus named in the classification issue (47.8k tickets).
    const big = Array.from({ length: 48_000 }, (_, i) => i % rows.length);
    t = performance.now();
    TextClassifier.train(
      big.map((i) => texts[i] ?? ''),
      big.map((i) => labels[i] ?? ''),
    );
    trainLargeMs = Math.round(performance.now() - t);
    lines.push(`train on 48,000 tickets: ${(trainLargeMs / 1000).toFixed(1)} s`);
  }

  const file = path.join(appRoot, 'dist', 'models', 'builtin.bin.gz');
  t = performance.now();
  const model = TextClassifier.deserialize(readFileSync(file));
  const loadMs = Math.round(performance.now() - t);
  lines.push(
    `load the built-in model (${Math.round(readFileSync(file).length / 1024)} KiB gzip): ${loadMs} ms`,
  );

  const n = 20_000;
  for (let i = 0; i < 2000; i++) model.predict(texts[i % texts.length] ?? ''); // warm up
  t = performance.now();
  for (let i = 0; i < n; i++) model.predict(texts[i % texts.length] ?? '');
  const modelMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < n; i++) {
    const r = rows[i % rows.length];
    classifyTicket(r?.record.subject ?? '', r?.record.body ?? '', 0.6, model);
  }
  const pipelineMs = performance.now() - t;
  const predictPerSec = Math.round(n / (modelMs / 1000));
  const classifyPerSec = Math.round(n / (pipelineMs / 1000));
  lines.push(
    `predict, one core: model ${predictPerSec} tickets/s (${((modelMs / n) * 1000).toFixed(1)} µs each); full classification with safety screen and priority ${classifyPerSec} tickets/s`,
  );
  return { lines, figures: { trainMs, trainLargeMs, loadMs, predictPerSec, classifyPerSec } };
}
