import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import {
  blockOf,
  DEFAULT_LAYOUT,
  featureCounts,
  type FeatureLayout,
  LAYOUT_V2,
  vectorize,
} from '../../../../src/domain/model/features';
import { TextClassifier } from '../../../../src/domain/model/textClassifier';

const texts = [
  ['printer jam in tray two', 'printer'],
  ['the printer is offline', 'printer'],
  ['toner low on the printer', 'printer'],
  ['printer prints blank pages', 'printer'],
  ['forgot my password', 'password'],
  ['password expired cannot sign in', 'password'],
  ['reset my password please', 'password'],
  ['locked out, password wrong', 'password'],
] as const;

describe('TextClassifier (SVM + NB-SVM on hashed word and character n-grams)', () => {
  const model = TextClassifier.train(
    texts.map(([t]) => t),
    texts.map(([, l]) => l),
    { dims: 1 << 12 },
  );

  it('learns the words and tolerates a typo through character n-grams', () => {
    assert.equal(model.predict('my printer is jammed').label, 'printer');
    assert.equal(model.predict('pasword expird').label, 'password');
    const p = model.predict('printer offline again');
    assert.ok(p.confidence > 0.5 && p.confidence <= 1);
    assert.ok(Math.abs(Object.values(p.scores).reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });

  it('is reproducible and round-trips through its file format', () => {
    const again = TextClassifier.train(
      texts.map(([t]) => t),
      texts.map(([, l]) => l),
      { dims: 1 << 12 },
    );
    assert.deepEqual(again.predict('toner'), model.predict('toner'));
    const copy = TextClassifier.deserialize(model.serialize({ note: 'x' }));
    assert.deepEqual(copy.predict('reset password'), model.predict('reset password'));
    assert.equal(copy.meta.note, 'x');
    assert.equal(copy.meta.learner, 'svm+nbsvm');
  });

  it('still loads and predicts with a version 1 model (logistic regression, class-major weights)', () => {
    const dims = 1 << 10;
    const header = Buffer.from(
      JSON.stringify({ magic: 'autotier-text-classifier/1', labels: ['a', 'b'], dims, meta: {} }),
    );
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length);
    const floats = new Float32Array(dims + 2 * dims + 2).fill(0);
    floats.fill(1, 0, dims); // idf
    floats[dims + 2 * dims + 1] = Math.log(3); // bias of "b": softmax gives 0.75
    const v1 = TextClassifier.deserialize(gzipSync(Buffer.concat([len, header, Buffer.from(floats.buffer)])));
    const p = v1.predict('anything at all');
    assert.equal(p.label, 'b');
    assert.ok(Math.abs(p.confidence - 0.75) < 1e-6);
  });

  it('still loads a version 2 model (feature-major weights, no skip-grams) and predicts with its features', () => {
    const dims = 1 << 10;
    const labels = ['a', 'b'];
    // The word "printer" is the first feature counted; under layout 2 it may sit in any even bucket.
    const printer = featureCounts('printer', dims, LAYOUT_V2).buckets[0]!;
    assert.equal(printer & 1, 0);
    const floats = new Float32Array(dims + 2 * dims + 2);
    floats.fill(1, 0, dims); // idf
    floats[dims + printer * 2 + 1] = 10; // feature-major: bucket's weight for "b"
    floats[dims + 2 * dims] = 0.1; // bias of "a"
    const v2 = TextClassifier.deserialize(modelFile('autotier-text-classifier/2', labels, dims, floats));
    assert.equal(v2.predict('printer').label, 'b');
    assert.equal(v2.predict('monitor').label, 'a');
    // Saved again, it is the same model in the current format.
    const again = TextClassifier.deserialize(v2.serialize());
    assert.deepEqual(again.predict('printer'), v2.predict('printer'));
    assert.deepEqual(again.predict('the printer is jammed'), v2.predict('the printer is jammed'));
  });

  it('predicts exactly what the weighed vector dotted with the weights gives', () => {
    const dims = 1 << 10;
    const labels = ['a', 'b', 'c'];
    const layout: FeatureLayout = { skipWindow: 3, skipWeight: 1.5 };
    const random = seeded(7);
    // The stored table: per bucket an idf then a weight per class, int16 in these units.
    const idfUnit = 5 / 32767;
    const weightUnit = 0.5 / 32767;
    const rows = new Int16Array(dims * 4).map(() => Math.round((random() - 0.5) * 65000));
    for (let j = 0; j < dims; j++) rows[j * 4] = Math.round((1 + random() * 4) / idfUnit);
    const idf = Float32Array.from({ length: dims }, (_, j) => rows[j * 4]! * idfUnit);
    const weight = (b: number, c: number) => rows[b * 4 + 1 + c]! * weightUnit;
    const bias = Float32Array.from([0.1, -0.2, 0.05]);
    const model = TextClassifier.deserialize(
      modelFile('autotier-text-classifier/3', labels, dims, [rows, bias], { layout, idfUnit, weightUnit }),
    );
    const text = 'my laptop will not connect to the vpn from home, the vpn says error 809';
    const x = vectorize(text, idf, layout);
    const scores = [0, 1, 2].map((c) => {
      let s = bias[c]!;
      x.indices.forEach((b, k) => (s += weight(b, c) * x.values[k]!));
      return s;
    });
    const max = Math.max(...scores);
    const exp = scores.map((s) => Math.exp((s - max) / 0.6));
    const sum = exp.reduce((a, b) => a + b, 0);
    const p = model.predict(text);
    labels.forEach((l, c) => assert.ok(Math.abs(p.scores[l]! - exp[c]! / sum) < 1e-5, l));
  });

  it('keeps its predictions through int16 rows: the trained table and the file agree', () => {
    const copy = TextClassifier.deserialize(model.serialize());
    for (const [text] of texts) assert.deepEqual(copy.predict(text), model.predict(text));
  });

  it('counts skip-grams: ordered pairs 2..window words apart, in their own block', () => {
    const dims = 1 << 16;
    const layout: FeatureLayout = { skipWindow: 3, skipWeight: 1 };
    const skips = (text: string, l: FeatureLayout) =>
      [...featureCounts(text, dims, l).buckets].filter((b) => blockOf(b, l) === 2).length;
    // (reset, vpn), (reset, password), (the, password): 3 pairs; the bigrams are words.
    assert.equal(skips('reset the vpn password', layout), 3);
    assert.equal(skips('reset vpn', layout), 0);
    assert.equal(skips('reset the vpn password', LAYOUT_V2), 0);
    // Order counts: "access ... folder" is not "folder ... access".
    const ab = featureCounts('access shared folder', dims, layout).buckets;
    const ba = featureCounts('folder shared access', dims, layout).buckets;
    const pair = (bs: Uint32Array) => [...bs].find((b) => blockOf(b, layout) === 2);
    assert.notEqual(pair(ab), pair(ba));
    // Words sit on multiples of four under layout 3, so no word is read as a skip-gram.
    for (const b of featureCounts('printer offline', dims, layout).buckets)
      assert.notEqual(blockOf(b, layout), 2);
  });

  it('weighs words and characters to equal norms and skip-grams to their weight', () => {
    const idf = new Float32Array(1 << 12).fill(1);
    const norms = (text: string, layout: FeatureLayout) => {
      const x = vectorize(text, idf, layout);
      const sums = [0, 0, 0];
      x.indices.forEach((b, i) => (sums[blockOf(b, layout)]! += x.values[i]! ** 2));
      return sums;
    };
    const [words, chars, skips] = norms('printer printer offline', LAYOUT_V2);
    assert.ok(Math.abs(words! - 0.5) < 1e-6 && Math.abs(chars! - 0.5) < 1e-6 && skips === 0);
    const w = DEFAULT_LAYOUT.skipWeight;
    const total = 2 + w * w;
    const [words3, chars3, skips3] = norms('printer printer offline', DEFAULT_LAYOUT);
    assert.ok(Math.abs(words3! - 1 / total) < 1e-6, `words ${words3}`);
    assert.ok(Math.abs(chars3! - 1 / total) < 1e-6, `chars ${chars3}`);
    assert.ok(Math.abs(skips3! - (w * w) / total) < 1e-6, `skips ${skips3}`);
    const counted = featureCounts('printer printer', 1 << 12);
    assert.equal(Math.max(...counted.counts), 2, 'a repeated word counts twice');
  });

  it('counts every feature of a long text once per occurrence, however full its table gets', () => {
    const text = Array.from({ length: 900 }, (_, i) => `word${i % 300}`).join(' ');
    const { buckets, counts } = featureCounts(text, 1 << 18);
    assert.ok(counts.length > 300, `${counts.length} distinct features`);
    assert.equal(buckets.length, new Set(buckets).size, 'no bucket listed twice');
    // Each of the 300 words occurs 3 times, so its unigram counts 3.
    assert.ok(counts.filter((n) => n === 3).length >= 300);
  });

  it('refuses what it cannot train on', () => {
    assert.throws(() => TextClassifier.train([], []), /equal, non-zero length/);
    assert.throws(() => TextClassifier.train(['a', 'b'], ['x', 'x']), /at least two labels/);
    assert.throws(() => TextClassifier.train(['a', 'b'], ['x', 'y'], { dims: 1000 }), /power of two/);
    const rows = new Int16Array(16 * 3);
    const bias = new Float32Array(2);
    assert.throws(
      () => TextClassifier.deserialize(modelFile('autotier-text-classifier/3', ['a', 'b'], 16, [rows, bias])),
      /no valid feature layout/,
    );
    assert.throws(
      () =>
        TextClassifier.deserialize(
          modelFile('autotier-text-classifier/3', ['a', 'b'], 16, [rows.subarray(2), bias], {
            layout: DEFAULT_LAYOUT,
            idfUnit: 1,
            weightUnit: 1,
          }),
        ),
      /truncated/,
    );
    // A layout that would make featureCounts pair every word with every other is refused.
    for (const layout of [
      { skipWindow: 1e9, skipWeight: 1 },
      { skipWindow: 5, skipWeight: -1 },
    ]) {
      const file = modelFile('autotier-text-classifier/3', ['a', 'b'], 16, [rows, bias], {
        layout,
        idfUnit: 1,
        weightUnit: 1,
      });
      assert.throws(() => TextClassifier.deserialize(file), /no valid feature layout/);
      assert.throws(
        () => TextClassifier.train(['a', 'b'], ['x', 'y'], { layout }),
        /not a valid feature layout/,
      );
    }
  });
});

function modelFile(
  magic: string,
  labels: string[],
  dims: number,
  body: Float32Array | (Float32Array | Int16Array)[],
  extra: Record<string, unknown> = {},
): Buffer {
  const header = Buffer.from(JSON.stringify({ magic, labels, dims, ...extra, meta: {} }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const parts = (Array.isArray(body) ? body : [body]).map((a) =>
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
  );
  return gzipSync(Buffer.concat([len, header, ...parts]));
}

function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 4294967296;
  };
}
