/**
 * Text to a sparse TF-IDF vector by feature hashing: word unigrams and bigrams for meaning,
 * character 3-5-grams inside words for typos and other languages. No vocabulary to store; the
 * model is just weights over a fixed number of buckets.
 */
export const DEFAULT_DIMS = 1 << 17;

export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** FNV-1a, 32-bit. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Term counts per bucket for one text. */
export function termCounts(text: string, dims: number): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (feature: string) => {
    const b = hash(feature) % dims;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  };
  const words = normalize(text)
    .split(' ')
    .filter((w) => w.length >= 2)
    .slice(0, 400);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    add(`w:${w}`);
    if (i > 0) add(`b:${words[i - 1] ?? ''}_${w}`);
    if (w.length >= 3) {
      const padded = `<${w}>`;
      for (let n = 3; n <= 5; n++)
        for (let j = 0; j + n <= padded.length; j++) add(`c:${padded.slice(j, j + n)}`);
    }
  }
  return counts;
}

/** Sublinear TF times IDF, L2-normalised. */
export function vectorize(text: string, idf: Float32Array): SparseVector {
  const counts = termCounts(text, idf.length);
  const indices = new Uint32Array(counts.size);
  const values = new Float32Array(counts.size);
  let i = 0;
  let norm = 0;
  for (const [b, tf] of counts) {
    const v = (1 + Math.log(tf)) * (idf[b] ?? 1);
    indices[i] = b;
    values[i] = v;
    norm += v * v;
    i++;
  }
  norm = Math.sqrt(norm) || 1;
  for (let j = 0; j < values.length; j++) values[j] = (values[j] ?? 0) / norm;
  return { indices, values };
}

export function inverseDocumentFrequency(texts: string[], dims: number): Float32Array {
  const df = new Uint32Array(dims);
  for (const t of texts) for (const b of termCounts(t, dims).keys()) df[b] = (df[b] ?? 0) + 1;
  const idf = new Float32Array(dims);
  const n = texts.length;
  for (let b = 0; b < dims; b++) idf[b] = Math.log((1 + n) / (1 + (df[b] ?? 0))) + 1;
  return idf;
}
