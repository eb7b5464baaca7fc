import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { stageAfter } from '../../../src/domain/stage';
import { STAGES } from '../../../src/domain/ticket';

describe('stageAfter', () => {
  it('walks the happy path from received to closed', () => {
    let stage = stageAfter('received', 'acknowledged');
    const seen = [stage];
    for (const step of [
      'classified',
      'resolving',
      'guide_sent',
      'resolved',
      'reopen_window_passed',
    ] as const) {
      stage = stageAfter(stage, step);
      seen.push(stage);
    }
    assert.deepEqual(seen, [
      'received',
      'classified',
      'resolving',
      'awaiting_confirmation',
      'resolved',
      'closed',
    ]);
  });

  it('silence under the close policy closes at once; a reopen escalates', () => {
    assert.equal(stageAfter('awaiting_confirmation', 'closed_unconfirmed'), 'closed');
    assert.equal(stageAfter('closed', 'reopened'), 'escalated');
    assert.equal(stageAfter('resolved', 'escalated'), 'escalated');
  });

  it('the reopen window closes only a resolved ticket', () => {
    for (const stage of STAGES)
      assert.equal(stageAfter(stage, 'reopen_window_passed'), stage === 'resolved' ? 'closed' : stage);
  });
});
