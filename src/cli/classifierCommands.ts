import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { openStorage } from '../composition/storage';
import { readConfig } from '../config';
import { CATEGORIES, isCategory } from '../domain/categories';
import { classifyTicket } from '../domain/classification';
import {
  DEFAULT_LAYOUT,
  type FeatureLayout,
  isValidLayout,
  LAYOUT_V2,
  MAX_SKIP_WINDOW,
} from '../domain/model/features';
import { evaluatePredictions, stratifiedFolds, stratifiedSplit } from '../domain/model/metrics';
import { TextClassifier } from '../domain/model/textClassifier';
import { thresholdChange, tuneThreshold } from '../domain/model/tuneThreshold';
import { tableName, Tables } from '../names';
import type { ClientStore } from '../ports/clientStore';
import { CliError, type LabelledRow, readInput, readLabelledCsv, writeAtomically } from './files';

export interface DataArgs {
  data: string;
  textColumn: string;
  labelColumn: string;
  splitColumn?: string;
  /** A JSON file `{"<PSA label>": "<category>"}`. */
  labelMap?: string;
  /** Leave out rows whose label the map does not cover, instead of stopping. */
  dropUnmapped?: boolean;
}

function load(args: DataArgs): LabelledRow[] {
  const rows = readLabelledCsv(
    args.data,
    args.textColumn.split(',').map((c) => c.trim()),
    args.labelColumn,
  );
  return args.labelMap ? mapLabels(rows, args.labelMap, args.dropUnmapped ?? false) : rows;
}

/**
 * Relabels a PSA export with autotier's categories. A label the map does not name stops the
 * command with the list of them (a silent default would teach the model wrong answers), unless
 * `dropUnmapped`; a label that already is a category stays as it is.
 */
export function mapLabels(rows: LabelledRow[], mapFile: string, dropUnmapped: boolean): LabelledRow[] {
  let map: unknown;
  try {
    map = JSON.parse(readInput(mapFile));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${mapFile}: not valid JSON`);
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map))
    throw new CliError(`${mapFile}: expected an object {"<label>": "<category>"}`);
  const mapping = map as Record<string, unknown>;
  const wrong = Object.entries(mapping).filter(([, v]) => !isCategory(v));
  if (wrong.length)
    throw new CliError(
      `${mapFile}: ${wrong.map(([k, v]) => `"${k}" -> ${JSON.stringify(v)}`).join(', ')} ${wrong.length === 1 ? 'is not an autotier category' : 'are not autotier categories'} (${CATEGORIES.join(', ')})`,
    );
  const unmapped = new Map<string, number>();
  const mapped: LabelledRow[] = [];
  for (const row of rows) {
    const target = Object.hasOwn(mapping, row.label) ? mapping[row.label] : row.label;
    if (isCategory(target)) mapped.push({ ...row, label: target });
    else unmapped.set(row.label, (unmapped.get(row.label) ?? 0) + 1);
  }
  if (unmapped.size) {
    const list = [...unmapped.entries()].map(([label, n]) => `"${label}" (${n})`).join(', ');
    if (!dropUnmapped)
      throw new CliError(
        `${mapFile} maps no category for ${unmapped.size} label${unmapped.size === 1 ? '' : 's'}: ${list}; add them to the map or pass --drop-unmapped`,
      );
    console.error(`dropped ${rows.length - mapped.length} rows whose label has no mapping: ${list}`);
  }
  if (mapped.length === 0) throw new CliError(`${mapFile}: no row has a mapped label`);
  return mapped;
}

const inSplit = (row: LabelledRow, column: string, split: 'train' | 'test') =>
  (row.record[column] ?? '').trim() === split;

/** How a model is trained, for train and evaluate. */
export interface LearnerArgs {
  seed?: number;
  /** Skip-grams reach this many words ahead; 0 for none; absent, the default layout's. */
  skipWindow?: number;
}

function layoutOf(skipWindow: number | undefined): FeatureLayout {
  if (skipWindow === undefined) return DEFAULT_LAYOUT;
  const layout = { ...DEFAULT_LAYOUT, skipWindow };
  if (!isValidLayout(layout))
    throw new CliError(`--skip-window must be a whole number from 0 (no skip-grams) to ${MAX_SKIP_WINDOW}`);
  return skipWindow < 2 ? LAYOUT_V2 : layout;
}

function timedTrain(rows: LabelledRow[], args: LearnerArgs): { model: TextClassifier; trainMs: number } {
  const layout = layoutOf(args.skipWindow);
  const start = performance.now();
  const model = TextClassifier.train(
    rows.map((r) => r.text),
    rows.map((r) => r.label),
    { seed: args.seed, layout },
  );
  return { model, trainMs: Math.round(performance.now() - start) };
}

/** Trains on the rows (only split=train ones when --split-column is given) and writes the model. */
export function trainCommand(args: DataArgs & LearnerArgs & { out: string }) {
  let rows = load(args);
  const column = args.splitColumn;
  if (column) rows = rows.filter((r) => inSplit(r, column, 'train'));
  const { model, trainMs } = timedTrain(rows, args);
  mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  const bytes = model.serialize({ source: path.basename(args.data), trainMs });
  writeAtomically(args.out, bytes);
  return { labels: model.labels, n: rows.length, trainMs, out: args.out, model: bytes };
}

export interface EvaluateArgs extends DataArgs, LearnerArgs {
  testFraction: number;
  seed: number;
  /** K-fold cross-validation instead of one split. */
  folds?: number;
  /** Also measure the whole classifier (safety screen, model, rules) next to the model alone. */
  full?: boolean;
  /** With `full`: a column of expected priorities (P1-P4), measured too. */
  priorityColumn?: string;
  /** With `full`: a column marking tickets that must never reach automation ("1" or "true"). */
  dangerousColumn?: string;
  /** Measure this trained model on every row instead of training on the data. */
  model?: TextClassifier;
  threshold?: number;
}

interface Outcome {
  row: LabelledRow;
  predicted: string;
}

/**
 * Figures for the model alone: one stratified split, the file's own split column, K-fold
 * cross-validation, or a given model on every row. With `full`, the same held-out rows also go
 * through `classifyTicket` and both are reported, `{model, full}`, so a figure never claims to be
 * the other.
 */
export function evaluateCommand(args: EvaluateArgs) {
  const rows = load(args);
  if (args.full) {
    const foreign = [...new Set(rows.map((r) => r.label))].filter((l) => !isCategory(l)).sort();
    if (foreign.length)
      throw new CliError(
        `--full needs labels that are autotier categories; ${foreign.map((l) => `"${l}"`).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not (map them with --label-map)`,
      );
  }
  const outcomes: Outcome[] = [];
  const trainMs: number[] = [];
  const foldAccuracy: number[] = [];
  let predictMs = 0;
  const run = (model: TextClassifier, test: LabelledRow[]) => {
    // Untimed warm-up, so a small test set measures predictions rather than the JIT compiler: 2,000
    // as the bench does. What follows is still timed in the process that has just trained, while
    // its garbage is collected, so it reads lower than a loaded model's steady state (README).
    for (let i = 0; i < Math.min(2000, test.length * 10); i++)
      model.predict(test[i % test.length]?.text ?? '');
    const start = performance.now();
    const predicted = test.map((r) => model.predict(r.text).label);
    predictMs += performance.now() - start;
    test.forEach((row, i) => outcomes.push({ row, predicted: predicted[i] ?? '' }));
    return predicted;
  };
  const models: { model: TextClassifier; test: LabelledRow[] }[] = [];
  if (args.model) {
    run(args.model, rows);
    models.push({ model: args.model, test: rows });
  } else if (args.folds !== undefined) {
    if (!Number.isInteger(args.folds) || args.folds < 2)
      throw new CliError('--folds must be a whole number of at least 2');
    const folds = stratifiedFolds(rows, (r) => r.label, args.folds, args.seed);
    folds.forEach((test, k) => {
      const train = folds.filter((_, j) => j !== k).flat();
      const { model, trainMs: ms } = timedTrain(train, args);
      trainMs.push(ms);
      const predicted = run(model, test);
      foldAccuracy.push(round(predicted.filter((p, i) => p === test[i]?.label).length / test.length));
      models.push({ model, test });
    });
  } else {
    const column = args.splitColumn;
    const { train, test } = column
      ? {
          train: rows.filter((r) => inSplit(r, column, 'train')),
          test: rows.filter((r) => inSplit(r, column, 'test')),
        }
      : stratifiedSplit(rows, (r) => r.label, args.testFraction, args.seed);
    if (train.length === 0 || test.length === 0)
      throw new CliError('evaluate needs rows to train on and rows to test on');
    const { model, trainMs: ms } = timedTrain(train, args);
    trainMs.push(ms);
    run(model, test);
    models.push({ model, test });
  }
  const metrics = evaluatePredictions(
    outcomes.map((o) => o.row.label),
    outcomes.map((o) => o.predicted),
  );
  const modelFigures = {
    ...metrics,
    ...(trainMs.length ? { trainMs: Math.round(trainMs.reduce((a, b) => a + b, 0) / trainMs.length) } : {}),
    predictPerSec: Math.round(outcomes.length / (predictMs / 1000)),
    n: rows.length,
    ...(args.folds !== undefined && !args.model ? { folds: args.folds, foldAccuracy } : {}),
  };
  if (!args.full) return modelFigures;
  for (const column of [args.priorityColumn, args.dangerousColumn])
    if (column && !(column in (rows[0]?.record ?? {})))
      throw new CliError(`${args.data}: no column "${column}"`);
  return {
    model: modelFigures,
    full: fullFigures(models, args.threshold ?? 0.6, args.priorityColumn, args.dangerousColumn),
  };
}

/**
 * The whole classifier on the same held-out rows, and what it would hand to automation; with the
 * columns, how many dangerous tickets it would automate (at the threshold and at 0, the worst a
 * client could set) and how its priorities compare, P1s above all.
 */
function fullFigures(
  models: { model: TextClassifier; test: LabelledRow[] }[],
  threshold: number,
  priorityColumn?: string,
  dangerousColumn?: string,
) {
  const truth: string[] = [];
  const predicted: string[] = [];
  let automated = 0;
  let automatedRight = 0;
  let engineeringAutomated = 0;
  const dangerous = { n: 0, automated: 0, automatedAtThreshold0: 0 };
  const priority = { right: 0, p1: 0, p1Found: 0, p1Extra: 0 };
  for (const r of models[0]?.test.slice(0, 200) ?? [])
    if (models[0]) classifyTicket(r.text, '', threshold, models[0].model);
  let ms = 0;
  for (const { model, test } of models)
    for (const row of test) {
      const start = performance.now();
      const c = classifyTicket(row.text, '', threshold, model);
      ms += performance.now() - start;
      truth.push(row.label);
      predicted.push(c.category);
      if (dangerousColumn && /^(1|true|yes)$/i.test((row.record[dangerousColumn] ?? '').trim())) {
        dangerous.n++;
        if (c.route === 'auto') dangerous.automated++;
        if (classifyTicket(row.text, '', 0, model).route === 'auto') dangerous.automatedAtThreshold0++;
      }
      if (priorityColumn) {
        const expected = (row.record[priorityColumn] ?? '').trim().toUpperCase();
        if (c.priority === expected) priority.right++;
        if (expected === 'P1') {
          priority.p1++;
          if (c.priority === 'P1') priority.p1Found++;
        } else if (c.priority === 'P1') priority.p1Extra++;
      }
      if (c.route !== 'auto') continue;
      automated++;
      if (c.category === row.label) automatedRight++;
      if (row.label === 'engineering') engineeringAutomated++;
    }
  return {
    ...evaluatePredictions(truth, predicted),
    threshold,
    automated,
    automatedPrecision: automated ? round(automatedRight / automated) : 0,
    engineeringAutomated,
    ...(dangerousColumn ? { dangerous } : {}),
    ...(priorityColumn
      ? {
          priority: {
            accuracy: round(priority.right / truth.length),
            p1: priority.p1,
            p1Found: priority.p1Found,
            p1Extra: priority.p1Extra,
          },
        }
      : {}),
    classifyPerSec: Math.round(truth.length / (ms / 1000)),
    n: truth.length,
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** Tunes the automation threshold on a labelled history (one JSON line), optionally saving it on a client. */
export function tuneCommand(args: DataArgs & { precision: number; model?: TextClassifier }) {
  return tuneThreshold(load(args), args.model, args.precision);
}

/** Writes a tuned threshold into a client's profile in the deployment's Clients table. */
export async function applyThreshold(
  clientId: string,
  threshold: number,
  options: { force?: boolean; clients?: ClientStore } = {},
): Promise<{ save: boolean; message: string }> {
  const config = readConfig();
  const clients = options.clients ?? openStorage(config).clients();
  const profile = await clients.get(clientId);
  if (!profile)
    throw new CliError(`no client "${clientId}" in ${tableName(config.tablePrefix, Tables.clients)}`);
  const decision = thresholdChange(clientId, profile.autoThreshold, threshold, options.force ?? false);
  if (decision.save) await clients.put({ ...profile, autoThreshold: threshold });
  return decision;
}

export function loadModelFile(file: string): TextClassifier {
  try {
    return TextClassifier.deserialize(readFileSync(file));
  } catch (err) {
    throw new CliError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Uploads a trained model as the next version in the deployment's storage; the app loads it on its next start. */
export async function publishModel(model: Buffer, labels: string[], source: string): Promise<string> {
  const unknown = labels.filter((l) => !isCategory(l));
  if (unknown.length)
    throw new CliError(
      `cannot publish: labels ${unknown.join(', ')} are not autotier categories (${CATEGORIES.join(', ')})`,
    );
  const store = openStorage().models();
  const published = await store.publish(model, { labels, source, at: new Date() });
  return `published as model v${published.version}`;
}
