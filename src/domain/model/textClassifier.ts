import { gunzipSync, gzipSync } from 'node:zlib';

import {
  DEFAULT_DIMS,
  type FeatureCounts,
  featureCounts,
  inverseDocumentFrequency,
  type SparseVector,
  vectorize,
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
const MAGIC = 'autotier-text-classifier/2';
/**
 * Softmax temperature over the ensemble's summed, standardised scores. Chosen by 5-fold
 * cross-validation on the public IT-ticket corpus (lowest log loss), so a confidence of 0.9 means
 * about nine in ten right there.
 */
const TEMPERATURE = 0.6;

/**
 * A linear text classifier: one-vs-rest squared-hinge SVMs (dual coordinate descent) on hashed
 * TF-IDF word 1-2-grams and character 2-5-grams, averaged with NB-SVM (Wang and Manning 2012:
 * the same SVMs on features scaled by each class's naive-Bayes log-count ratio). Both are linear
 * in the same features, so the average is one weight matrix: prediction is one sparse dot
 * product per class, microseconds. Class weights (square root of balanced) keep the small classes
 * from being swallowed by the large ones.
 *
 * Chosen by 5-fold cross-validation on the public corpus (see README): the SVM alone, NB-SVM alone,
 * their average with and without class weights, logistic regression, one-vs-one, kNN and a small
 * MLP were measured; this average was the best.
 */
export class TextClassifier {
  private constructor(
    readonly labels: string[],
    private readonly idf: Float32Array,
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
    readonly meta: Record<string, unknown>,
    private readonly version: 1 | 2,
  ) {}

  get dims(): number {
    return this.idf.length;
  }

  static train(texts: string[], labels: string[], options: TrainOptions = {}): TextClassifier {
    if (texts.length === 0 || texts.length !== labels.length)
      throw new Error('training needs texts and labels of equal, non-zero length');
    const dims = options.dims ?? DEFAULT_DIMS;
    if (!Number.isInteger(Math.log2(dims))) throw new Error('dims must be a power of two');
    const classes = [...new Set(labels)].sort();
    if (classes.length < 2) throw new Error('training needs at least two labels');
    const C = options.C ?? 0.5;
    const power = options.classWeightPower ?? 0.5;

    const counted = texts.map((t) => featureCounts(t, dims));
    const idf = inverseDocumentFrequency(counted, dims);
    const rows = toRows(
      counted.map((c) => weigh(c, idf)),
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
    // Feature-major (all classes of one bucket side by side): one cache line per feature at
    // prediction instead of one per feature and class.
    const weights = new Float32Array(K * dims);
    for (let c = 0; c < K; c++)
      for (let j = 0; j < dims; j++)
        weights[j * K + c] = svmWeights[c * dims + j]! / svmSpread + nbWeights[c * dims + j]! / nbSpread;
    const bias = Float32Array.from(svmBias, (b, c) => b / svmSpread + nbBias[c]! / nbSpread);
    return new TextClassifier(
      classes,
      idf,
      weights,
      bias,
      {
        trainedOn: texts.length,
        learner: 'svm+nbsvm',
        C,
        classWeightPower: power,
        dims,
        createdAt: new Date().toISOString(),
      },
      2,
    );
  }

  predict(text: string): Prediction {
    const scores = new Float64Array(this.labels.length);
    if (this.version === 1) {
      classMajorScores(scores, vectorizeV1(text, this.idf), this.weights, this.bias, this.dims);
      softmaxInPlace(scores, 1);
    } else {
      featureMajorScores(scores, vectorize(text, this.idf), this.weights, this.bias);
      softmaxInPlace(scores, TEMPERATURE);
    }
    let best = 0;
    for (let c = 1; c < scores.length; c++) if (scores[c]! > scores[best]!) best = c;
    const byLabel: Record<string, number> = {};
    this.labels.forEach((l, c) => (byLabel[l] = scores[c]!));
    return { label: this.labels[best] ?? '', confidence: scores[best]!, scores: byLabel };
  }

  /**
   * gzip( header length | JSON header | idf | weights | bias ), all little-endian float32; version
   * 2 stores the weights feature-major, version 1 class-major.
   */
  serialize(extraMeta: Record<string, unknown> = {}): Buffer {
    const header = Buffer.from(
      JSON.stringify({
        magic: this.version === 1 ? MAGIC_V1 : MAGIC,
        labels: this.labels,
        dims: this.dims,
        meta: { ...this.meta, ...extraMeta },
      }),
      'utf8',
    );
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length);
    const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    return gzipSync(Buffer.concat([len, header, f32(this.idf), f32(this.weights), f32(this.bias)]), {
      level: 6,
    });
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
      meta: Record<string, unknown>;
    };
    if (header.magic !== MAGIC && header.magic !== MAGIC_V1)
      throw new Error('not a classifier model (unknown format)');
    const body = raw.subarray(4 + headerLength);
    const floats = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    const { dims, labels } = header;
    if (floats.length !== dims + labels.length * dims + labels.length)
      throw new Error('classifier model is truncated');
    return new TextClassifier(
      labels,
      floats.slice(0, dims),
      floats.slice(dims, dims + labels.length * dims),
      floats.slice(dims + labels.length * dims),
      header.meta,
      header.magic === MAGIC ? 2 : 1,
    );
  }
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

function featureMajorScores(
  out: Float64Array,
  x: SparseVector,
  weights: Float32Array,
  bias: Float32Array,
): void {
  const K = out.length;
  for (let c = 0; c < K; c++) out[c] = bias[c]!;
  for (let k = 0; k < x.indices.length; k++) {
    const base = x.indices[k]! * K;
    const v = x.values[k]!;
    for (let c = 0; c < K; c++) out[c] = out[c]! + weights[base + c]! * v;
  }
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
