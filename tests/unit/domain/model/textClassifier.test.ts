import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import { featureCounts, vectorize } from '../../../../src/domain/model/features';
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

  it('weighs words and character n-grams as two blocks of equal norm', () => {
    const idf = new Float32Array(1 << 12).fill(1);
    const x = vectorize('printer printer offline', idf);
    let words = 0;
    let chars = 0;
    x.indices.forEach((b, i) => {
      if (b & 1) chars += x.values[i]! ** 2;
      else words += x.values[i]! ** 2;
    });
    assert.ok(Math.abs(words - 0.5) < 1e-6 && Math.abs(chars - 0.5) < 1e-6);
    const counted = featureCounts('printer printer', 1 << 12);
    assert.equal(Math.max(...counted.counts), 2, 'a repeated word counts twice');
  });

  it('refuses what it cannot train on', () => {
    assert.throws(() => TextClassifier.train([], []), /equal, non-zero length/);
    assert.throws(() => TextClassifier.train(['a', 'b'], ['x', 'x']), /at least two labels/);
    assert.throws(() => TextClassifier.train(['a', 'b'], ['x', 'y'], { dims: 1000 }), /power of two/);
  });
});
