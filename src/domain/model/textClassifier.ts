import { gunzipSync, gzipSync } from 'node:zlib';

import {
  blockScales,
  DEFAULT_DIMS,
  DEFAULT_LAYOUT,
  type FeatureCounts,
  featureCounts,
  type FeatureLayout,
  inverseDocumentFrequency,
  isValidLayout,
  LAYOUT_V2,
  type SparseVector,
  termWeight,
  weigh,
} from './features';
import { vectorize as vectorizeV1 } from './legacyFeatures';
import { type SparseRows, trainBinarySvm } from './linearSvm';

export interface TrainOptions {
  /** The SVMs' misclassification cost. */
  C?: number;
  /** Class weights (n / (classes * n_c)) ^ power: 0 none, 1 fully balanced. */
  classWeightPower?: number;
  /** Hash buckets, a power of two. */
  dims?: number;
  /** Which features (skip-grams or not); the default is the chosen one. */
  layout?: FeatureLayout;
  maxIterations?: number;
  seed?: number;
}

export interface Prediction {
  label: string;
  confidence: number;
  scores: Record<string, number>;
}

/** Mulberry32: a small seeded PRNG, so training is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAGIC_V1 = 'autotier-text-classifier/1';
const MAGIC_V2 = 'autotier-text-classifier/2';
const MAGIC = 'autotier-text-classifier/3';
/**
 * Softmax temperature over the ensemble's summed, standardised scores. Chosen by 5-fold
 * cross-validation on the public IT-ticket corpus (lowest log loss), so a confidence of 0.9 means
 * about nine in ten right there.
 */
const TEMPERATURE = 0.6;

/**
 * A linear text classifier: one-vs-rest squared-hinge SVMs (dual coordinate descent) on hashed
 * TF-IDF word 1-2-grams, word skip-grams and character 2-5-grams, averaged with NB-SVM (Wang and
 * Manning 2012: the same SVMs on features scaled by each class's naive-Bayes log-count ratio).
 * Both are linear in the same features, so the average is one weight matrix: prediction is one
 * sparse dot product per class, microseconds. Class weights (square root of balanced) keep the
 * small classes from being swallowed by the large ones.
 *
 * Chosen by cross-validation on the public corpus (see README): the SVM alone, NB-SVM alone,
 * their average with and without class weights, logistic regression, one-vs-one, kNN and a small
 * MLP were measured; this average was the best, and skip-grams lifted it further.
 */
export class TextClassifier {
  private constructor(
    readonly labels: string[],
    readonly dims: number,
    private readonly weights: Weights,
    private readonly bias: Float32Array,
    readonly meta: Record<string, unknown>,
  ) {}

  static train(texts: string[], labels: string[], options: TrainOptions = {}): TextClassifier {
    if (texts.length === 0 || texts.length !== labels.length)
      throw new Error('training needs texts and labels of equal, non-zero length');
    const dims = options.dims ?? DEFAULT_DIMS;
    if (!Number.isInteger(Math.log2(dims))) throw new Error('dims must be a power of two');
    const classes = [...new Set(labels)].sort();
    if (classes.length < 2) throw new Error('training needs at least two labels');
    const C = options.C ?? 0.5;
    const power = options.classWeightPower ?? 0.5;
    const layout = options.layout ?? DEFAULT_LAYOUT;
    if (!isValidLayout(layout)) throw new Error('not a valid feature layout');

    const counted = texts.map((t) => featureCounts(t, dims, layout));
    const idf = inverseDocumentFrequency(counted, dims);
    const rows = toRows(
      counted.map((c) => weigh(c, idf, layout)),
      dims,
    );
    const target = Int32Array.from(labels, (l) => classes.indexOf(l));
    const perClass = new Float64Array(classes.length);
    for (const y of target) perClass[y] = perClass[y]! + 1;
    const exampleWeights = Float64Array.from(target, (y) =>
      Math.pow(texts.length / (classes.length * perClass[y]!), power),
    );
    const random = seededRandom(options.seed ?? 42);
    const solve = (data: SparseRows, c: number) =>
      trainBinarySvm(
        data,
        Uint8Array.from(target, (y) => (y === c ? 1 : 0)),
        { C, weights: exampleWeights, maxIterations: options.maxIterations, random },
      );

    const K = classes.length;
    const svmWeights = new Float32Array(K * dims);
    const svmBias = new Float32Array(K);
    const nbWeights = new Float32Array(K * dims);
    const nbBias = new Float32Array(K);
    const scaled = new Float32Array(rows.values.length);
    for (let c = 0; c < K; c++) {
      const svm = solve(rows, c);
      svmWeights.set(svm.w, c * dims);
      svmBias[c] = svm.b;

      const ratio = logCountRatio(counted, target, c, dims);
      for (let p = 0; p < scaled.length; p++) scaled[p] = rows.values[p]! * ratio[rows.indices[p]!]!;
      const nb = solve({ ...rows, values: scaled }, c);
      // w . (x * r) = (w * r) . x: NB-SVM folds into plain weights on the unscaled features.
      for (let j = 0; j < dims; j++) nbWeights[c * dims + j] = nb.w[j]! * ratio[j]!;
      nbBias[c] = nb.b;
    }

    // Average the two after putting their scores on one scale (their spread on the training set).
    const svmSpread = scoreSpread(rows, svmWeights, svmBias, K);
    const nbSpread = scoreSpread(rows, nbWeights, nbBias, K);
    const table = packTable(
      dims,
      K,
      (j) => idf[j]!,
      (j, c) => svmWeights[c * dims + j]! / svmSpread + nbWeights[c * dims + j]! / nbSpread,
    );
    const bias = Float32Array.from(svmBias, (b, c) => b / svmSpread + nbBias[c]! / nbSpread);
    return new TextClassifier(classes, dims, { version: 3, layout, table }, bias, {
      trainedOn: texts.length,
      learner: 'svm+nbsvm',
      C,
      classWeightPower: power,
      dims,
      layout,
      createdAt: new Date().toISOString(),
    });
  }

  predict(text: string): Prediction {
    const scores = new Float64Array(this.labels.length);
    const w = this.weights;
    if (w.version === 1) {
      classMajorScores(scores, vectorizeV1(text, w.idf), w.weights, this.bias, this.dims);
      softmaxInPlace(scores, 1);
    } else {
      tableScores(scores, featureCounts(text, this.dims, w.layout), w.table, this.bias, w.layout);
      softmaxInPlace(scores, TEMPERATURE);
    }
    let best = 0;
    for (let c = 1; c < scores.length; c++) if (scores[c]! > scores[best]!) best = c;
    const byLabel: Record<string, number> = {};
    this.labels.forEach((l, c) => (byLabel[l] = scores[c]!));
    return { label: this.labels[best] ?? '', confidence: scores[best]!, scores: byLabel };
  }

  /**
   * gzip( header length | JSON header | body | bias ), little-endian. Version 1's body is the idf,
   * then the weights class by class, float32; version 3's is the table (`Table`) as int16, and its
   * header carries the feature layout and the table's units. (Version 2 stored layout 2's idf,
   * then its weights bucket by bucket, float32; it loads as version 3.)
   */
  serialize(extraMeta: Record<string, unknown> = {}): Buffer {
    const w = this.weights;
    const header = Buffer.from(
      JSON.stringify({
        magic: w.version === 1 ? MAGIC_V1 : MAGIC,
        labels: this.labels,
        dims: this.dims,
        ...(w.version === 3
          ? { layout: w.layout, idfUnit: w.table.idfUnit, weightUnit: w.table.weightUnit }
          : {}),
        meta: { ...this.meta, ...extraMeta },
      }),
      'utf8',
    );
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length);
    const bytes = (a: Float32Array | Int16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const body = w.version === 1 ? [bytes(w.idf), bytes(w.weights)] : [bytes(w.table.rows)];
    return gzipSync(Buffer.concat([len, header, ...body, bytes(this.bias)]), { level: 6 });
  }

  static deserialize(data: Buffer): TextClassifier {
    let raw: Buffer;
    try {
      raw = gunzipSync(data);
    } catch {
      throw new Error('not a classifier model (not gzip)');
    }
    const headerLength = raw.readUInt32LE(0);
    const header = JSON.parse(raw.subarray(4, 4 + headerLength).toString('utf8')) as {
      magic?: string;
      labels: string[];
      dims: number;
      layout?: FeatureLayout;
      idfUnit?: number;
      weightUnit?: number;
      meta: Record<string, unknown>;
    };
    if (header.magic !== MAGIC && header.magic !== MAGIC_V2 && header.magic !== MAGIC_V1)
      throw new Error('not a classifier model (unknown format)');
    const body = raw.subarray(4 + headerLength);
    const { dims, labels } = header;
    const K = labels.length;
    const floatsAt = (offset: number, length: number) => {
      if (offset + length * 4 !== body.byteLength) throw new Error('classifier model is truncated');
      return new Float32Array(
        body.buffer.slice(body.byteOffset + offset, body.byteOffset + offset + length * 4),
      );
    };
    let weights: Weights;
    let bias: Float32Array;
    if (header.magic === MAGIC) {
      const { layout, idfUnit, weightUnit } = header;
      if (!isValidLayout(layout)) throw new Error('classifier model has no valid feature layout');
      if (!(typeof idfUnit === 'number' && typeof weightUnit === 'number') || !isFinite(idfUnit * weightUnit))
        throw new Error('classifier model has no table units');
      const tableBytes = dims * (K + 1) * 2;
      bias = floatsAt(tableBytes, K);
      const rows = new Int16Array(body.buffer.slice(body.byteOffset, body.byteOffset + tableBytes));
      weights = { version: 3, layout, table: { rows, idfUnit, weightUnit } };
    } else {
      const floats = floatsAt(0, dims + K * dims + K);
      bias = floats.slice(dims + K * dims);
      weights =
        header.magic === MAGIC_V1
          ? { version: 1, idf: floats.slice(0, dims), weights: floats.slice(dims, dims + K * dims) }
          : {
              version: 3,
              layout: LAYOUT_V2,
              table: packTable(
                dims,
                K,
                (j) => floats[j]!,
                (j, c) => floats[dims + j * K + c]!,
              ),
            };
    }
    return new TextClassifier(labels, dims, weights, bias, header.meta);
  }
}

/** Version 1: idf and class-major weights over the legacy features. Version 3: a `Table`. */
type Weights =
  | { version: 1; idf: Float32Array; weights: Float32Array }
  | { version: 3; layout: FeatureLayout; table: Table };

/**
 * One row per bucket, its idf then one weight per class, as int16 in units of `idfUnit` and
 * `weightUnit`: the rows lie scattered over megabytes, so a feature at prediction costs one cache
 * line instead of two (idf and weights apart), and int16 halves the lines float32 would need.
 * The rounding (under 1/32767 of the largest weight) left every fold's accuracy of 10-fold
 * cross-validation on the public corpus as it was with float32.
 */
interface Table {
  rows: Int16Array;
  idfUnit: number;
  weightUnit: number;
}

function packTable(
  dims: number,
  K: number,
  idfOf: (bucket: number) => number,
  weightOf: (bucket: number, c: number) => number,
): Table {
  let idfMax = 0;
  let weightMax = 0;
  for (let j = 0; j < dims; j++) {
    idfMax = Math.max(idfMax, Math.abs(idfOf(j)));
    for (let c = 0; c < K; c++) weightMax = Math.max(weightMax, Math.abs(weightOf(j, c)));
  }
  const idfUnit = idfMax / 32767 || 1;
  const weightUnit = weightMax / 32767 || 1;
  const rows = new Int16Array(dims * (K + 1));
  for (let j = 0; j < dims; j++) {
    rows[j * (K + 1)] = Math.round(idfOf(j) / idfUnit);
    for (let c = 0; c < K; c++) rows[j * (K + 1) + 1 + c] = Math.round(weightOf(j, c) / weightUnit);
  }
  return { rows, idfUnit, weightUnit };
}

function toRows(vectors: SparseVector[], dims: number): SparseRows {
  const rowStart = new Int32Array(vectors.length + 1);
  vectors.forEach((v, i) => (rowStart[i + 1] = rowStart[i]! + v.indices.length));
  const indices = new Uint32Array(rowStart[vectors.length]!);
  const values = new Float32Array(indices.length);
  vectors.forEach((v, i) => {
    indices.set(v.indices, rowStart[i]);
    values.set(v.values, rowStart[i]);
  });
  return { rowStart, indices, values, dims };
}

/**
 * log( p(feature present | class) / p(feature present | other classes) ), add-one smoothed over
 * binary occurrence, as in NB-SVM.
 */
function logCountRatio(
  documents: FeatureCounts[],
  target: Int32Array,
  c: number,
  dims: number,
): Float32Array {
  const inClass = new Float64Array(dims).fill(1);
  const outside = new Float64Array(dims).fill(1);
  documents.forEach((d, i) => {
    const counts = target[i] === c ? inClass : outside;
    for (const b of d.buckets) counts[b] = counts[b]! + 1;
  });
  let inTotal = 0;
  let outTotal = 0;
  for (let j = 0; j < dims; j++) {
    inTotal += inClass[j]!;
    outTotal += outside[j]!;
  }
  const ratio = new Float32Array(dims);
  for (let j = 0; j < dims; j++) ratio[j] = Math.log(inClass[j]! / inTotal / (outside[j]! / outTotal));
  return ratio;
}

/** Standard deviation of all decision values on the rows. */
function scoreSpread(rows: SparseRows, weights: Float32Array, bias: Float32Array, K: number): number {
  let sum = 0;
  let sumSquares = 0;
  const n = rows.rowStart.length - 1;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < K; c++) {
      let s = bias[c]!;
      const base = c * rows.dims;
      for (let p = rows.rowStart[i]!; p < rows.rowStart[i + 1]!; p++)
        s += weights[base + rows.indices[p]!]! * rows.values[p]!;
      sum += s;
      sumSquares += s * s;
    }
  }
  const count = n * K;
  return Math.sqrt(Math.max(sumSquares / count - (sum / count) ** 2, 1e-12));
}

/** Version 1 models keep each class's weights together. */
function classMajorScores(
  out: Float64Array,
  x: SparseVector,
  weights: Float32Array,
  bias: Float32Array,
  dims: number,
): void {
  for (let c = 0; c < out.length; c++) {
    let s = bias[c]!;
    const base = c * dims;
    for (let k = 0; k < x.indices.length; k++) s += weights[base + x.indices[k]!]! * x.values[k]!;
    out[c] = s;
  }
}

/**
 * The decision values of one text straight from its feature counts: weigh (as `weigh` does) and
 * dot each block apart, then scale the blocks, so no weighed vector is built.
 */
function tableScores(
  out: Float64Array,
  features: FeatureCounts,
  table: Table,
  bias: Float32Array,
  layout: FeatureLayout,
): void {
  const K = out.length;
  const stride = K + 1;
  const { rows } = table;
  const partial = new Float64Array(3 * K);
  const squaredNorms = new Float64Array(3);
  const { buckets, counts } = features;
  const skips = layout.skipWindow > 0;
  // Most rows are cache misses (skip-grams and rare words above all). A loop that only reads each
  // row's idf has many of them in flight at once; the weights beside it are then in cache. Pinned
  // to one core, this took the public model from about 17,000 to 21,000 predictions a second.
  const idf = new Int16Array(buckets.length);
  for (let i = 0; i < buckets.length; i++) idf[i] = rows[buckets[i]! * stride]!;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    const row = b * stride;
    const v = termWeight(counts[i]!) * idf[i]! * table.idfUnit;
    // blockOf, inline in the hot loop.
    const block = b & 1 ? 1 : skips && b & 2 ? 2 : 0;
    squaredNorms[block] = squaredNorms[block]! + v * v;
    const offset = block * K;
    for (let c = 0; c < K; c++) partial[offset + c] = partial[offset + c]! + rows[row + 1 + c]! * v;
  }
  const [words, chars, skipGrams] = blockScales(squaredNorms, layout);
  const unit = table.weightUnit;
  for (let c = 0; c < K; c++)
    out[c] =
      bias[c]! + unit * (words * partial[c]! + chars * partial[K + c]! + skipGrams * partial[2 * K + c]!);
}

function softmaxInPlace(v: Float64Array, temperature: number): void {
  let max = -Infinity;
  for (const s of v) if (s > max) max = s;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const e = Math.exp((v[i]! - max) / temperature);
    v[i] = e;
    sum += e;
  }
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / sum;
}
