import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { guardStorageOutage, storageUnavailable } from '../../../src/http/storageOutage';

describe('storage outages', () => {
  it('tells storage being unavailable from other errors, through wrapped causes', () => {
    assert.equal(storageUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), true);
    assert.equal(
      storageUnavailable(Object.assign(new Error('x'), { statusCode: 503, code: 'ServerBusy' })),
      true,
    );
    assert.equal(storageUnavailable(new Error('wrapped', { cause: { code: 'ETIMEDOUT' } })), true);
    assert.equal(storageUnavailable(Object.assign(new Error('x'), { statusCode: 409 })), false);
    assert.equal(storageUnavailable(new TypeError('a bug')), false);
  });

  it('answers 503 with Retry-After for an outage and lets other errors through', async () => {
    const down = guardStorageOutage(() =>
      Promise.reject(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })),
    );
    assert.deepEqual(await down(), {
      status: 503,
      headers: { 'retry-after': '30' },
      jsonBody: {
        error: 'autotier cannot reach its storage for the moment; nothing was taken, try again shortly',
      },
    });
    await assert.rejects(guardStorageOutage(() => Promise.reject(new TypeError('a bug')))(), /a bug/);
  });
});
