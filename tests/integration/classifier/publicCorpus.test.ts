import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { readLabelledCsv } from '../../../src/cli/files';
import { evaluatePredictions, stratifiedSplit } from '../../../src/domain/model/metrics';
import { TextClassifier } from '../../../src/domain/model/textClassifier';
import { APP_ROOT } from '../../support/runtime';

// The public IT-ticket corpus (38,270 tickets, 8 classes) sits in shared/ beside the checkout.
const FILE = 'it-service-tickets-train.csv';
const found = [
  path.join(APP_ROOT, '..', 'shared', 'data', FILE),
  path.join(APP_ROOT, '..', '..', 'shared', 'data', FILE),
].find((p) => existsSync(p));

describe(
  'the learner on the public IT-ticket corpus',
  { skip: found ? false : `no shared/data/${FILE} beside the checkout` },
  () => {
    it('reaches 0.86 accuracy on a held-out fifth, trains in under 60 s and predicts 20,000 tickets/s', () => {
      const rows = readLabelledCsv(found ?? '', ['Document'], 'Topic_group');
      const { train, test } = stratifiedSplit(rows, (r) => r.label, 0.2, 11);
      const start = performance.now();
      const model = TextClassifier.train(
        train.map((r) => r.text),
        train.map((r) => r.label),
      );
      const trainMs = performance.now() - start;
      const { accuracy, macroF1 } = evaluatePredictions(
        test.map((r) => r.label),
        test.map((r) => model.predict(r.text).label),
      );
      // The learner this replaced (logistic regression by SGD) scored about 0.84 here.
      assert.ok(accuracy >= 0.86, `accuracy ${accuracy}`);
      assert.ok(macroF1 >= 0.86, `macro-F1 ${macroF1}`);
      assert.ok(trainMs < 60_000, `training took ${Math.round(trainMs)} ms`);
      // Best of three passes: the machine is shared, a pass can lose the core for a while.
      let best = Infinity;
      for (let pass = 0; pass < 3; pass++) {
        const t = performance.now();
        for (const r of test.slice(0, 4000)) model.predict(r.text);
        best = Math.min(best, performance.now() - t);
      }
      const perSecond = 4000 / (best / 1000);
      assert.ok(perSecond >= 20_000, `${Math.round(perSecond)} predictions/s`);
    });
  },
);
