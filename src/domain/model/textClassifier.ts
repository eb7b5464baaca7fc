import { gunzipSync, gzipSync } from 'node:zlib';

import { DEFAULT_DIMS, inverseDocumentFrequency, type SparseVector, vectorize } from './features';

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  dims?: number;
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

const MAGIC = 'autotier-text-classifier/1';

/**
 * Multinomial logistic regression over hashed TF-IDF features. Training is SGD over shuffled
 * examples with a decaying step; prediction is one sparse dot product per class: microseconds.
 */
export class TextClassifier {
  private constructor(
    readonly labels: string[],
    private readonly idf: Float32Array,
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
    readonly meta: Record<string, unknown>,
  ) {}

  get dims(): number {
    return this.idf.length;
  }

  static train(texts: string[], labels: string[], options: TrainOptions = {}): TextClassifier {
    if (texts.length === 0 || texts.length !== labels.length)
      throw new Error('training needs texts and labels of equal, non-zero length');
    const dims = options.dims ?? DEFAULT_DIMS;
    const classes = [...new Set(labels)].sort();
    if (classes.length < 2) throw new Error('training needs at least two labels');
    const idf = inverseDocumentFrequency(texts, dims);
    const vectors = texts.map((t) => vectorize(t, idf));
    const targets = labels.map((l) => classes.indexOf(l));
    const weights = new Float32Array(classes.length * dims);
    const bias = new Float32Array(classes.length);
    const epochs = options.epochs ?? 12;
    const rate0 = options.learningRate ?? 1.0;
    const l2 = options.l2 ?? 1e-6;
    const random = seededRandom(options.seed ?? 42);
    const order = texts.map((_, i) => i);
    const probs = new Float64Array(classes.length);
    let step = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
      }
      for (const idx of order) {
        const x = vectors[idx] as SparseVector;
        const y = targets[idx] ?? 0;
        const rate = rate0 / (1 + 0.0005 * step++);
        scoresInto(probs, x, weights, bias, dims);
        softmaxInPlace(probs);
        for (let c = 0; c < classes.length; c++) {
          const g = (probs[c] ?? 0) - (c === y ? 1 : 0);
          if (g === 0) continue;
          const base = c * dims;
          for (let k = 0; k < x.indices.length; k++) {
            const w = base + (x.indices[k] ?? 0);
            weights[w] = (weights[w] ?? 0) * (1 - rate * l2) - rate * g * (x.values[k] ?? 0);
          }
          bias[c] = (bias[c] ?? 0) - rate * g * 0.1;
        }
      }
    }
    return new TextClassifier(classes, idf, weights, bias, {
      trainedOn: texts.length,
      epochs,
      dims,
      createdAt: new Date().toISOString(),
    });
  }

  predict(text: string): Prediction {
    const x = vectorize(text, this.idf);
    const probs = new Float64Array(this.labels.length);
    scoresInto(probs, x, this.weights, this.bias, this.dims);
    softmaxInPlace(probs);
    let best = 0;
    for (let c = 1; c < probs.length; c++) if ((probs[c] ?? 0) > (probs[best] ?? 0)) best = c;
    const scores: Record<string, number> = {};
    this.labels.forEach((l, c) => (scores[l] = probs[c] ?? 0));
    return { label: this.labels[best] ?? '', confidence: probs[best] ?? 0, scores };
  }

  /** gzip( header length | JSON header | idf | weights | bias ), all little-endian float32. */
  serialize(extraMeta: Record<string, unknown> = {}): Buffer {
    const header = Buffer.from(
      JSON.stringify({
        magic: MAGIC,
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
    if (header.magic !== MAGIC) throw new Error('not a classifier model (unknown format)');
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
    );
  }
}

function scoresInto(
  out: Float64Array,
  x: SparseVector,
  weights: Float32Array,
  bias: Float32Array,
  dims: number,
): void {
  for (let c = 0; c < out.length; c++) {
    let s = bias[c] ?? 0;
    const base = c * dims;
    for (let k = 0; k < x.indices.length; k++)
      s += (weights[base + (x.indices[k] ?? 0)] ?? 0) * (x.values[k] ?? 0);
    out[c] = s;
  }
}

function softmaxInPlace(v: Float64Array): void {
  let max = -Infinity;
  for (const s of v) if (s > max) max = s;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const e = Math.exp((v[i] ?? 0) - max);
    v[i] = e;
    sum += e;
  }
  for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / sum;
}
