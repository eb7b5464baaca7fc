/**
 * Version 1 features, kept so that a model published before version 2 still loads and predicts.
 *
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

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32-bit, continued from `h` over `s[start..end)`. */
function fnv(h: number, s: string, start = 0, end = s.length): number {
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

const WORD = fnv(FNV_OFFSET, 'w:');
const BIGRAM = fnv(FNV_OFFSET, 'b:');
const CHARS = fnv(FNV_OFFSET, 'c:');
const LT = '<'.charCodeAt(0);
const GT = '>'.charCodeAt(0);
const UNDERSCORE = '_'.charCodeAt(0);

/**
 * Term counts per bucket for one text. Hashes run straight over the characters (the same values
 * as hashing "w:word", "b:one_two" and "c:<wo" as strings) so no string is built per feature.
 */
export function termCounts(text: string, dims: number): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (h: number) => {
    const b = (h >>> 0) % dims;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  };
  const words = normalize(text)
    .split(' ')
    .filter((w) => w.length >= 2)
    .slice(0, 400);
  let previous = '';
  for (const w of words) {
    add(fnv(WORD, w));
    if (previous) {
      let h = fnv(BIGRAM, previous);
      h ^= UNDERSCORE;
      h = Math.imul(h, FNV_PRIME);
      add(fnv(h, w));
    }
    previous = w;
    if (w.length < 3) continue;
    // Character n-grams of "<word>", the angle brackets marking the word's edges.
    const len = w.length + 2;
    for (let n = 3; n <= 5; n++) {
      for (let j = 0; j + n <= len; j++) {
        let h = CHARS;
        for (let k = j; k < j + n; k++) {
          h ^= k === 0 ? LT : k === len - 1 ? GT : w.charCodeAt(k - 1);
          h = Math.imul(h, FNV_PRIME);
        }
        add(h);
      }
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
