/**
 * Text to a sparse TF-IDF vector by feature hashing. Blocks, as vectorisers side by side would
 * give: word unigrams and bigrams for meaning, character 2-5-grams of each word (with its edges
 * marked) for typos, inflections and other languages, and (layout 3) skip-grams: pairs of words
 * two to `skipWindow` words apart, for phrases whose words stand apart ("access ... folder",
 * "order ... laptop") in text a mail, a signature or a removed stop word breaks up. Character
 * n-grams land in odd buckets; words in even ones (layout 2) or in multiples of four with
 * skip-grams in the other even buckets (layout 3), so each block is L2-normalised on its own:
 * the many character n-grams would otherwise drown the few words. No vocabulary to store; the
 * model is weights over a fixed number of buckets.
 */
import { normalize } from './legacyFeatures';

export { normalize };

export const DEFAULT_DIMS = 1 << 19;

/** How text becomes features; a model stores the layout it was trained with. */
export interface FeatureLayout {
  /** Skip-grams pair each word with the words 2..skipWindow after it; 0 for none (layout 2). */
  skipWindow: number;
  /** The skip-gram block's norm against 1 for the word and character blocks. */
  skipWeight: number;
}

/** Version 2 models: words and characters only. */
export const LAYOUT_V2: FeatureLayout = { skipWindow: 0, skipWeight: 0 };
/** Chosen by cross-validation on the public corpus (README, "Classification"). */
export const DEFAULT_LAYOUT: FeatureLayout = { skipWindow: 5, skipWeight: 1.4 };
const MAX_WORDS = 1000;
/** Skip-grams further apart than this would mostly pair unrelated words, at a cost per word. */
export const MAX_SKIP_WINDOW = 10;

/** Whether a layout (from a model file, say) is one featureCounts can use safely. */
export function isValidLayout(layout: unknown): layout is FeatureLayout {
  const l = layout as Partial<FeatureLayout> | null;
  return (
    typeof l === 'object' &&
    l !== null &&
    Number.isInteger(l.skipWindow) &&
    l.skipWindow! >= 0 &&
    l.skipWindow! <= MAX_SKIP_WINDOW &&
    typeof l.skipWeight === 'number' &&
    Number.isFinite(l.skipWeight) &&
    l.skipWeight >= 0
  );
}

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
const SKIP = fnvString(FNV_OFFSET, 's');
const SPACE = 32;

function fnvString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Counting table reused between calls: open addressing keyed by bucket, with a stamp per slot
 * instead of clearing it, so counting one text costs one probe per feature and no sort. A text
 * uses only the first slots it needs (twice its most features), so a short text's probes stay in
 * a few kilobytes of cache, not spread over a table a long text once grew, where they would evict
 * the model's weights.
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

/** Murmur3's finaliser: every input bit reaches the low bits that pick a bucket. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const unigrams = new Int32Array(MAX_WORDS);

/**
 * The hashed features of one text. Hashes run straight over the characters, so no string is
 * built per feature; `dims` must be a power of two. Buckets come in no particular order.
 */
export function featureCounts(
  text: string,
  dims: number,
  layout: FeatureLayout = DEFAULT_LAYOUT,
): FeatureCounts {
  const mask = dims - 1;
  const words = normalize(text).split(' ').filter(Boolean).slice(0, MAX_WORDS);
  const window = layout.skipWindow;
  let letters = 0;
  for (const w of words) letters += w.length;
  // Upper bound of features: 2 word features, the skip-grams, and at most 4 n-grams per character.
  const most = (2 + Math.max(window - 1, 0)) * words.length + 4 * (letters + 2 * words.length);
  if (most * 2 > slots) resize(most);
  let size = 1 << 10;
  while (size < most * 2) size *= 2;
  stamp++;
  if (stamp === 0xffffffff) {
    slotStamp.fill(0);
    stamp = 1;
  }
  const slotMask = size - 1;
  // Fibonacci hashing takes the product's high bits: its low bits depend only on the bucket's low
  // bits, which the blocks fix (odd characters, words and skip-grams on multiples of two and four).
  const slotShift = 32 - Math.log2(size);
  let distinct = 0;
  const add = (bucket: number) => {
    let s = Math.imul(bucket, 0x9e3779b1) >>> slotShift;
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
  const wordMask = window > 0 ? mask & ~3 : mask & ~1;
  let previous = WORD;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const unigram = fnvString(Math.imul(WORD ^ SPACE, FNV_PRIME), w);
    unigrams[i] = unigram;
    add((unigram & wordMask) >>> 0);
    if (i > 0) add((fnvString(Math.imul(previous ^ SPACE, FNV_PRIME), w) & wordMask) >>> 0);
    previous = unigram;
    // Ordered pairs with the words 2..window before this one (the one just before is the bigram).
    for (let back = 2; back <= window && back <= i; back++)
      add(((mix(Math.imul(unigrams[i - back]! ^ SKIP, 0x9e3779b1) ^ unigram) & mask & ~3) | 2) >>> 0);
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

/** Sublinear term frequency, 1 + log(n). */
export function termWeight(n: number): number {
  return n < 256 ? SUBLINEAR[n]! : 1 + Math.log(n);
}

/** A bucket's block: 0 words, 1 characters, 2 skip-grams (layout 3 only). */
export function blockOf(bucket: number, layout: FeatureLayout): 0 | 1 | 2 {
  if (bucket & 1) return 1;
  return layout.skipWindow > 0 && bucket & 2 ? 2 : 0;
}

/**
 * What each block's raw TF-IDF values are multiplied by, from the blocks' squared norms: words
 * and characters to norm 1, skip-grams to `skipWeight`, and the whole vector then to norm 1.
 */
export function blockScales(
  squaredNorms: ArrayLike<number>,
  layout: FeatureLayout,
): [number, number, number] {
  const skipWeight = layout.skipWindow > 0 ? layout.skipWeight : 0;
  const total = Math.sqrt(2 + skipWeight ** 2);
  const scale = (block: 0 | 1 | 2, weight: number) => {
    const s = squaredNorms[block] ?? 0;
    return s > 0 ? weight / total / Math.sqrt(s) : 0;
  };
  return [scale(0, 1), scale(1, 1), scale(2, skipWeight)];
}

/** Sublinear TF times IDF, each block L2-normalised and weighted (`blockScales`). */
export function weigh(
  features: FeatureCounts,
  idf: Float32Array,
  layout: FeatureLayout = DEFAULT_LAYOUT,
): SparseVector {
  const { buckets, counts } = features;
  const values = new Float32Array(buckets.length);
  const squaredNorms = new Float64Array(3);
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    const v = termWeight(counts[i]!) * idf[b]!;
    values[i] = v;
    const block = blockOf(b, layout);
    squaredNorms[block] = squaredNorms[block]! + v * v;
  }
  const scale = blockScales(squaredNorms, layout);
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * scale[blockOf(buckets[i]!, layout)];
  return { indices: buckets, values };
}

export function vectorize(
  text: string,
  idf: Float32Array,
  layout: FeatureLayout = DEFAULT_LAYOUT,
): SparseVector {
  return weigh(featureCounts(text, idf.length, layout), idf, layout);
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
