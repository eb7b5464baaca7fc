import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { evaluatePredictions, stratifiedSplit } from '../domain/model/metrics';
import { TextClassifier } from '../domain/model/textClassifier';
import { CliError, type LabelledRow, readLabelledCsv, writeAtomically } from './files';

export interface DataArgs {
  data: string;
  textColumn: string;
  labelColumn: string;
  splitColumn?: string;
}

function load(args: DataArgs): LabelledRow[] {
  return readLabelledCsv(
    args.data,
    args.textColumn.split(',').map((c) => c.trim()),
    args.labelColumn,
  );
}

/** Trains on the rows (only split=train ones when --split-column is given) and writes the model. */
export function trainCommand(args: DataArgs & { out: string; seed?: number }): {
  labels: string[];
  n: number;
  trainMs: number;
  out: string;
} {
  let rows = load(args);
  if (args.splitColumn)
    rows = rows.filter((r) => (r.record[args.splitColumn ?? ''] ?? '').trim() === 'train');
  const start = performance.now();
  const model = TextClassifier.train(
    rows.map((r) => r.text),
    rows.map((r) => r.label),
    { seed: args.seed },
  );
  const trainMs = Math.round(performance.now() - start);
  mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  writeAtomically(args.out, model.serialize({ source: path.basename(args.data), trainMs }));
  return { labels: model.labels, n: rows.length, trainMs, out: args.out };
}

/** Stratified split (or the file's own split column), train, predict; one JSON line of figures. */
export function evaluateCommand(args: DataArgs & { testFraction: number; seed: number }) {
  const rows = load(args);
  const { train, test } = args.splitColumn
    ? {
        train: rows.filter((r) => r.record[args.splitColumn ?? ''] === 'train'),
        test: rows.filter((r) => r.record[args.splitColumn ?? ''] === 'test'),
      }
    : stratifiedSplit(rows, (r) => r.label, args.testFraction, args.seed);
  if (train.length === 0 || test.length === 0)
    throw new CliError('evaluate needs rows to train on and rows to test on');
  const start = performance.now();
  const model = TextClassifier.train(
    train.map((r) => r.text),
    train.map((r) => r.label),
    { seed: args.seed },
  );
  const trainMs = Math.round(performance.now() - start);
  const predictStart = performance.now();
  const predicted = test.map((r) => model.predict(r.text).label);
  const predictMs = performance.now() - predictStart;
  const metrics = evaluatePredictions(
    test.map((r) => r.label),
    predicted,
  );
  return { ...metrics, trainMs, predictPerSec: Math.round(test.length / (predictMs / 1000)), n: rows.length };
}

export function loadModelFile(file: string): TextClassifier {
  try {
    return TextClassifier.deserialize(readFileSync(file));
  } catch (err) {
    throw new CliError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
