import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { logSafe } from '../../../src/http/httpHelpers';
import { webhookIntakeHandler } from '../../../src/intake/webhookIntake';
import { MemoryTokens } from '../../support/fakes';
import { invocationContext, jsonRequest } from '../../support/http';

describe('webhook intake', () => {
  it('claims the event id before queuing, and lets it go when the delivery could not be queued', async () => {
    const seen = new MemoryTokens();
    let fail = true;
    const queued: unknown[] = [];
    const handler = webhookIntakeHandler({
      source: 'generic',
      verify: () => true,
      parse: (raw) => ({ ok: true, value: JSON.parse(raw) as { eventId: string } }),
      now: () => Date.parse('2026-03-02T10:00:00Z'),
      enqueue: (m) => {
        if (fail) return Promise.reject(new Error('queue unavailable'));
        queued.push(m);
        return Promise.resolve();
      },
      seen,
    });
    const deliver = () =>
      handler(
        jsonRequest('POST', 'http://localhost/api/webhooks/generic', { eventId: 'e-1' }),
        invocationContext(),
      );
    await assert.rejects(deliver(), /queue unavailable/);
    fail = false;
    assert.equal((await deliver()).status, 202, "the sender's retry is taken, not called a duplicate");
    assert.equal((await deliver()).status, 200);
    assert.equal(queued.length, 1);
  });

  it('logs ids from outside bounded and escaped', () => {
    assert.equal(logSafe('a\r\nb'), 'a\\r\\nb');
    const long = logSafe('x'.repeat(5000));
    assert.ok(long.length < 150);
    assert.match(long, /…\(5000 chars\)$/);
  });
});
