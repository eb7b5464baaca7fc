import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { readLabelledCsv } from '../../../../src/cli/files';
import { evaluatePredictions, stratifiedSplit } from '../../../../src/domain/model/metrics';
import { TextClassifier } from '../../../../src/domain/model/textClassifier';
import { APP_ROOT } from '../../../support/runtime';

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
    it('reaches 0.875 accuracy and 0.873 macro-F1 on a held-out fifth', (t) => {
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
      // 0.8777 and 0.8758 with skip-grams; without them (the features before) 0.8729 and 0.8725, and
      // logistic regression by SGD, the learner before that, about 0.84. The published fine-tuned
      // DistilBERT reference on this corpus is 0.8725 accuracy. Training is seeded, so the figure
      // is the same on every machine.
      assert.ok(accuracy >= 0.875, `accuracy ${accuracy}`);
      assert.ok(macroF1 >= 0.873, `macro-F1 ${macroF1}`);
      // Speed is the bench's to report (`npm run bench`, `classifier evaluate`), not a timed test's:
      // a shared machine makes timings flaky. Said here for whoever reads the run.
      t.diagnostic(`trained in ${Math.round(trainMs)} ms on ${train.length} tickets`);
    });
  },
);
