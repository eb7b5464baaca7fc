import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { BlobModelStore } from '../adapters/blobs/blobModelStore';
import {
  createBlobServiceClient,
  createTableClient,
  storageConnectionFromSettings,
} from '../adapters/tables/storageClients';
import { TableClientStore } from '../adapters/tables/tableClientStore';
import { tableName } from '../adapters/tables/tableNames';
import { modelContainer, readConfig } from '../config';
import { CATEGORIES, isCategory } from '../domain/categories';
import { evaluatePredictions, stratifiedSplit } from '../domain/model/metrics';
import { TextClassifier } from '../domain/model/textClassifier';
import { tuneThreshold } from '../domain/model/tuneThreshold';
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

const inSplit = (row: LabelledRow, column: string, split: 'train' | 'test') =>
  (row.record[column] ?? '').trim() === split;

function timedTrain(
  rows: LabelledRow[],
  seed: number | undefined,
): { model: TextClassifier; trainMs: number } {
  const start = performance.now();
  const model = TextClassifier.train(
    rows.map((r) => r.text),
    rows.map((r) => r.label),
    { seed },
  );
  return { model, trainMs: Math.round(performance.now() - start) };
}

/** Trains on the rows (only split=train ones when --split-column is given) and writes the model. */
export function trainCommand(args: DataArgs & { out: string; seed?: number }) {
  let rows = load(args);
  const column = args.splitColumn;
  if (column) rows = rows.filter((r) => inSplit(r, column, 'train'));
  const { model, trainMs } = timedTrain(rows, args.seed);
  mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  const bytes = model.serialize({ source: path.basename(args.data), trainMs });
  writeAtomically(args.out, bytes);
  return { labels: model.labels, n: rows.length, trainMs, out: args.out, model: bytes };
}

/** Stratified split (or the file's own split column), train, predict; one JSON line of figures. */
export function evaluateCommand(args: DataArgs & { testFraction: number; seed: number }) {
  const rows = load(args);
  const column = args.splitColumn;
  const { train, test } = column
    ? {
        train: rows.filter((r) => inSplit(r, column, 'train')),
        test: rows.filter((r) => inSplit(r, column, 'test')),
      }
    : stratifiedSplit(rows, (r) => r.label, args.testFraction, args.seed);
  if (train.length === 0 || test.length === 0)
    throw new CliError('evaluate needs rows to train on and rows to test on');
  const { model, trainMs } = timedTrain(train, args.seed);
  const predictStart = performance.now();
  const predicted = test.map((r) => model.predict(r.text).label);
  const predictMs = performance.now() - predictStart;
  const metrics = evaluatePredictions(
    test.map((r) => r.label),
    predicted,
  );
  return { ...metrics, trainMs, predictPerSec: Math.round(test.length / (predictMs / 1000)), n: rows.length };
}

/** Tunes the automation threshold on a labelled history (one JSON line), optionally saving it on a client. */
export function tuneCommand(args: DataArgs & { precision: number; model?: TextClassifier }) {
  return tuneThreshold(load(args), args.model, args.precision);
}

/** Writes a tuned threshold into a client's profile in the deployment's Clients table. */
export async function applyThreshold(clientId: string, threshold: number): Promise<string> {
  const config = readConfig();
  const clients = new TableClientStore(
    createTableClient(
      storageConnectionFromSettings('AzureWebJobsStorage'),
      tableName(config.tablePrefix, 'Clients'),
    ),
  );
  const profile = await clients.get(clientId);
  if (!profile) throw new CliError(`no client "${clientId}" in ${tableName(config.tablePrefix, 'Clients')}`);
  await clients.put({ ...profile, autoThreshold: threshold });
  return `client ${clientId}: automation threshold ${profile.autoThreshold} -> ${threshold}`;
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
  const store = new BlobModelStore(
    createBlobServiceClient(storageConnectionFromSettings('AzureWebJobsStorage')),
    modelContainer(readConfig().tablePrefix),
  );
  const published = await store.publish(model, { labels, source, at: new Date() });
  return `published as model v${published.version}`;
}
