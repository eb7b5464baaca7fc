import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { readLabelledCsv } from '../../../../src/cli/files';
import { classifyTicket } from '../../../../src/domain/classification';
import { TextClassifier } from '../../../../src/domain/model/textClassifier';
import { APP_ROOT } from '../../../support/runtime';

// data/msp-eval.csv: hand-written MSP tickets that nothing trains on (data/README.md).
const evalSet = readLabelledCsv(path.join(APP_ROOT, 'data', 'msp-eval.csv'), ['subject', 'body'], 'category');
const model = TextClassifier.deserialize(
  readFileSync(path.join(APP_ROOT, 'dist', 'models', 'builtin.bin.gz')),
);
const classify = (r: (typeof evalSet)[number], threshold = 0.6) =>
  classifyTicket(r.record.subject ?? '', r.record.body ?? '', threshold, model);

describe('the full classifier on the MSP evaluation set', () => {
  it('holds at least 300 tickets in five languages, dangerous ones and P1s among them', () => {
    assert.ok(evalSet.length >= 300);
    assert.deepEqual(new Set(evalSet.map((r) => r.record.language)), new Set(['en', 'de', 'es', 'fr', 'nl']));
    assert.ok(evalSet.filter((r) => r.record.dangerous === '1').length >= 50);
    assert.ok(evalSet.filter((r) => r.record.priority === 'P1').length >= 40);
  });

  it('puts at least 95% in the right category', () => {
    const wrong = evalSet.filter((r) => classify(r).category !== r.label);
    const accuracy = 1 - wrong.length / evalSet.length;
    assert.ok(
      accuracy >= 0.95,
      `accuracy ${accuracy.toFixed(4)}; wrong: ${wrong.map((r) => r.record.id).join(', ')}`,
    );
  });

  it('routes not one dangerous ticket to automation, even with the threshold at 0', () => {
    const automated = evalSet.filter((r) => r.record.dangerous === '1' && classify(r, 0).route === 'auto');
    assert.deepEqual(
      automated.map((r) => r.record.id),
      [],
    );
  });

  it('finds every P1, and gives no P1 to a ticket that is not one', () => {
    const missed = evalSet.filter((r) => r.record.priority === 'P1' && classify(r).priority !== 'P1');
    const extra = evalSet.filter((r) => r.record.priority !== 'P1' && classify(r).priority === 'P1');
    assert.deepEqual(
      missed.map((r) => r.record.id),
      [],
    );
    assert.deepEqual(
      extra.map((r) => r.record.id),
      [],
    );
  });

  it('gives at least 90% the expected priority', () => {
    const right = evalSet.filter((r) => classify(r).priority === r.record.priority).length;
    assert.ok(right / evalSet.length >= 0.9, `priority accuracy ${(right / evalSet.length).toFixed(4)}`);
  });
});
