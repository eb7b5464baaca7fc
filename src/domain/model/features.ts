/**
 * Text to a sparse TF-IDF vector by feature hashing (version 2). Two blocks, as two vectorisers
 * side by side would give: word unigrams and bigrams for meaning, character 2-5-grams of each
 * word (with its edges marked) for typos, inflections and other languages. Words land in even
 * buckets and character n-grams in odd ones, so each block is L2-normalised on its own and weighs
 * the same: the many character n-grams would otherwise drown the few words. No vocabulary to
 * store; the model is weights over a fixed number of buckets.
 */
import { normalize } from './legacyFeatures';

export { normalize };

export const DEFAULT_DIMS = 1 << 19;
const MAX_WORDS = 1000;

export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** Bucket ids and how often each occurs in one text. */
export interface FeatureCounts {
  buckets: Uint32Array;
  counts: Uint16Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD = fnvString(FNV_OFFSET, 'w');
const CHARS = fnvString(FNV_OFFSET, 'c');
const SPACE = 32;

function fnvString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Counting table reused between calls: open addressing keyed by bucket, with a stamp per slot
 * instead of clearing it, so counting one text costs one probe per feature and no sort.
 */
let slots = 1 << 12;
let slotBucket = new Uint32Array(slots);
let slotCount = new Uint16Array(slots);
let slotStamp = new Uint32Array(slots);
let used = new Int32Array(slots >> 1);
let stamp = 0;

function resize(minimumFeatures: number): void {
  while (slots < minimumFeatures * 2) slots *= 2;
  slotBucket = new Uint32Array(slots);
  slotCount = new Uint16Array(slots);
  slotStamp = new Uint32Array(slots);
  used = new Int32Array(slots >> 1);
  stamp = 0;
}

/**
 * The hashed features of one text. Hashes run straight over the characters, so no string is
 * built per feature; `dims` must be a power of two. Buckets come in no particular order.
 */
export function featureCounts(text: string, dims: number): FeatureCounts {
  const mask = dims - 1;
  const words = normalize(text).split(' ').filter(Boolean).slice(0, MAX_WORDS);
  let letters = 0;
  for (const w of words) letters += w.length;
  // Upper bound of features: 2 word features and at most 4 n-grams per character position.
  const most = 2 * words.length + 4 * (letters + 2 * words.length);
  if (most * 2 > slots) resize(most);
  stamp++;
  if (stamp === 0xffffffff) {
    slotStamp.fill(0);
    stamp = 1;
  }
  const slotMask = slots - 1;
  let distinct = 0;
  const add = (bucket: number) => {
    let s = (Math.imul(bucket, 0x9e3779b1) >>> 0) & slotMask;
    while (slotStamp[s] === stamp && slotBucket[s] !== bucket) s = (s + 1) & slotMask;
    if (slotStamp[s] === stamp) {
      if (slotCount[s]! < 65535) slotCount[s] = slotCount[s]! + 1;
      return;
    }
    slotStamp[s] = stamp;
    slotBucket[s] = bucket;
    slotCount[s] = 1;
    used[distinct++] = s;
  };
  let previous = WORD;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const unigram = fnvString(Math.imul(WORD ^ SPACE, FNV_PRIME), w);
    add((unigram & mask & ~1) >>> 0);
    if (i > 0) add((fnvString(Math.imul(previous ^ SPACE, FNV_PRIME), w) & mask & ~1) >>> 0);
    previous = unigram;
    // Character 2-5-grams of " word ", the spaces marking the word's edges: one hash grows from
    // each start position, giving the 2-, 3-, 4- and 5-gram in turn.
    const len = w.length + 2;
    for (let start = 0; start + 2 <= len; start++) {
      let h = CHARS;
      const end = Math.min(start + 5, len);
      for (let k = start; k < end; k++) {
        h = Math.imul(h ^ (k === 0 || k === len - 1 ? SPACE : w.charCodeAt(k - 1)), FNV_PRIME);
        if (k > start) add(((h & mask) | 1) >>> 0);
      }
    }
  }
  const buckets = new Uint32Array(distinct);
  const counts = new Uint16Array(distinct);
  for (let i = 0; i < distinct; i++) {
    const s = used[i]!;
    buckets[i] = slotBucket[s]!;
    counts[i] = slotCount[s]!;
  }
  return { buckets, counts };
}

const SUBLINEAR = Float64Array.from({ length: 256 }, (_, n) => (n === 0 ? 0 : 1 + Math.log(n)));

/** Sublinear TF times IDF, each block (words, characters) L2-normalised and given equal weight. */
export function weigh(features: FeatureCounts, idf: Float32Array): SparseVector {
  const { buckets, counts } = features;
  const values = new Float32Array(buckets.length);
  let words = 0;
  let chars = 0;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    const n = counts[i]!;
    const v = (n < 256 ? SUBLINEAR[n]! : 1 + Math.log(n)) * idf[b]!;
    values[i] = v;
    if (b & 1) chars += v * v;
    else words += v * v;
  }
  const wordScale = words > 0 ? Math.SQRT1_2 / Math.sqrt(words) : 0;
  const charScale = chars > 0 ? Math.SQRT1_2 / Math.sqrt(chars) : 0;
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * (buckets[i]! & 1 ? charScale : wordScale);
  return { indices: buckets, values };
}

export function vectorize(text: string, idf: Float32Array): SparseVector {
  return weigh(featureCounts(text, idf.length), idf);
}

/** Smoothed IDF, log((1 + n) / (1 + df)) + 1, from each text's features. */
export function inverseDocumentFrequency(documents: FeatureCounts[], dims: number): Float32Array {
  const df = new Uint32Array(dims);
  for (const d of documents) for (const b of d.buckets) df[b] = df[b]! + 1;
  const idf = new Float32Array(dims);
  const n = documents.length;
  for (let b = 0; b < dims; b++) idf[b] = Math.log((1 + n) / (1 + df[b]!)) + 1;
  return idf;
}
