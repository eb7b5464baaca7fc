import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { readLabelledCsv } from '../../../../src/cli/files';
import { classifyTicket } from '../../../../src/domain/classification';
import { evaluatePredictions } from '../../../../src/domain/model/metrics';
import { TextClassifier } from '../../../../src/domain/model/textClassifier';
import { APP_ROOT } from '../../../support/runtime';

const corpus = readLabelledCsv(
  path.join(APP_ROOT, 'data', 'msp-tickets.csv'),
  ['subject', 'body'],
  'category',
);
const test = corpus.filter((r) => r.record.split === 'test');
const model = TextClassifier.deserialize(
  readFileSync(path.join(APP_ROOT, 'dist', 'models', 'builtin.bin.gz')),
);

describe('the built-in classifier on held-out MSP tickets', () => {
  it('was trained on the train split only, and the test split holds out whole phrasing families', () => {
    assert.equal(model.meta.trainedOn, corpus.length - test.length);
    const trainFamilies = new Set(
      corpus.filter((r) => r.record.split === 'train').map((r) => r.record.family),
    );
    assert.ok(test.length >= 300);
    assert.ok(test.every((r) => !trainFamilies.has(r.record.family)));
  });

  it('classifies at least 90% of held-out tickets correctly (safety screen, model and rules together)', () => {
    const predicted = test.map(
      (r) => classifyTicket(r.record.subject ?? '', r.record.body ?? '', 0.6, model).category,
    );
    const { accuracy, macroF1 } = evaluatePredictions(
      test.map((r) => r.label),
      predicted,
    );
    assert.ok(accuracy >= 0.9, `accuracy ${accuracy}`);
    assert.ok(macroF1 >= 0.85, `macro-F1 ${macroF1}`);
  });

  it('routes not one dangerous ticket to automation, in either split', () => {
    const dangerous = corpus.filter((r) => r.record.dangerous === '1');
    assert.ok(dangerous.length >= 100);
    const automated = dangerous.filter(
      (r) => classifyTicket(r.record.subject ?? '', r.record.body ?? '', 0.0, model).route === 'auto',
    );
    assert.deepEqual(
      automated.map((r) => r.record.id),
      [],
    );
  });

  it('round-trips through its file format with identical predictions', () => {
    const copy = TextClassifier.deserialize(model.serialize());
    for (const r of test.slice(0, 50)) assert.deepEqual(copy.predict(r.text), model.predict(r.text));
    assert.throws(() => TextClassifier.deserialize(Buffer.from('not a model')), /not a classifier model/);
  });
});
