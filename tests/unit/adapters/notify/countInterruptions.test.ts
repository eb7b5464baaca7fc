import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { countInterruptions } from '../../../../src/adapters/notify/countInterruptions';
import type { Notification } from '../../../../src/ports/notifier';
import { MemoryOutcomes, RecordingOps } from '../../../support/fakes';

const alert = (over: Partial<Notification>): Notification => ({
  key: 'escalation-1',
  ticketId: 'T-1001',
  clientId: 'demo',
  tier: 1,
  kind: 'escalation',
  message: 'm',
  at: '2026-03-02T10:00:00.000Z',
  ...over,
});

describe('countInterruptions (the notifier path)', () => {
  it('records each ticket alert and page once per key, after it went out; operator alerts are not counted', async () => {
    const ops = new RecordingOps();
    const outcomes = new MemoryOutcomes();
    const notifier = countInterruptions(ops, outcomes);
    await notifier.notify(alert({}));
    await notifier.notify(alert({}));
    await notifier.notify(alert({ key: 'p1-page-0-1', kind: 'p1_page', audience: 'oncall', tier: 3 }));
    await notifier.notify(
      alert({ key: 'poison-1', kind: 'intake_poison', ticketId: '_intake', clientId: '_all' }),
    );
    await notifier.notify(alert({ key: 'workflow-failed', kind: 'workflow_problem', clientId: '_all' }));
    assert.equal([...ops.log.keys()].length, 4, 'every alert still goes out');
    assert.deepEqual(
      [...outcomes.interruptionsByKey.values()].map((i) => [i.kind, i.tier, i.audience]),
      [
        ['escalation', 1, undefined],
        ['p1_page', 3, 'oncall'],
      ],
    );
  });

  it('an alert that could not go out is not counted', async () => {
    const outcomes = new MemoryOutcomes();
    const failing = { notify: () => Promise.reject(new Error('queue down')) };
    await assert.rejects(countInterruptions(failing, outcomes).notify(alert({})), /queue down/);
    assert.equal(outcomes.interruptionsByKey.size, 0);
  });
});
