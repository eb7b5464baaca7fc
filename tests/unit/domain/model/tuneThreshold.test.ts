import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { CategoryModel } from '../../../../src/domain/classification';
import { thresholdChange, tuneThreshold } from '../../../../src/domain/model/tuneThreshold';

/** A model whose answer is written in the ticket: "<label> <confidence>". */
const scripted: CategoryModel = {
  predict: (text) => {
    const [label = '', given = '0'] = text.trim().split(/\s+/);
    const confidence = Number(given);
    const other = label === 'software_access' ? 'software_error' : 'software_access';
    return { label, confidence, scores: { [label]: confidence, [other]: 1 - confidence } };
  },
};

describe('tuning the automation threshold for precision', () => {
  // 20 confident and right (two at each of 0.90..0.99); vpn at 0.74, 0.73, 0.72 right and 0.71, 0.70
  // wrong; five unsure password resets (0.54..0.50) that were really engineering.
  const rows = [
    ...Array.from({ length: 20 }, (_, i) => ({
      text: `printer_peripheral 0.9${i % 10}`,
      label: 'printer_peripheral',
    })),
    ...Array.from({ length: 5 }, (_, i) => ({
      text: `vpn_remote_access 0.7${i}`,
      label: i >= 2 ? 'vpn_remote_access' : 'software_error',
    })),
    ...Array.from({ length: 5 }, (_, i) => ({ text: `password_reset 0.5${i}`, label: 'engineering' })),
  ];

  it('picks the lowest threshold that keeps automation as precise as asked', () => {
    const strict = tuneThreshold(rows, scripted, 0.96);
    assert.deepEqual(
      [strict.met, strict.automated, strict.precision, strict.threshold, strict.engineeringAutomated],
      [true, 23, 1, 0.72, 0],
    );
    assert.equal(strict.coverage, Math.round((23 / 30) * 10_000) / 10_000);
    const loose = tuneThreshold(rows, scripted, 0.85);
    assert.deepEqual([loose.automated, loose.threshold, loose.engineeringAutomated], [27, 0.53, 2]);
    assert.equal(tuneThreshold(rows, scripted, 0.96, 24).met, false, 'too few tickets to trust');
  });

  it('says so when no threshold is precise enough, and reports the strictest', () => {
    const bad = tuneThreshold(
      rows.map((r) => ({ ...r, label: 'software_access' })),
      scripted,
      0.9,
    );
    assert.equal(bad.met, false);
    assert.equal(bad.precision, 0);
    assert.deepEqual([bad.automated, bad.threshold], [2, 0.99]);
  });
});

describe('thresholdChange: what tune --client may save', () => {
  it('saves a raise, or a lowering that stays at 0.5 or above, naming old and new', () => {
    assert.deepEqual(thresholdChange('acme', 0.6, 0.72, false), {
      save: true,
      message: 'client acme: automation threshold 0.6 -> 0.72',
    });
    assert.equal(thresholdChange('acme', 0.6, 0.5, false).save, true);
  });

  it('refuses to lower a live threshold below 0.5 without force', () => {
    const refused = thresholdChange('acme', 0.6, 0.42, false);
    assert.equal(refused.save, false);
    assert.match(refused.message, /^client acme: automation threshold 0\.6 -> 0\.42 not saved: .*--force/);
    assert.equal(thresholdChange('acme', 0.6, 0.42, true).save, true);
    // Raising one that was forced low before is not lowering it.
    assert.equal(thresholdChange('acme', 0.3, 0.4, false).save, true);
  });
});
