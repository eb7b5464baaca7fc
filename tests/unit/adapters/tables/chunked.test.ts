import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fromChunks, toChunks } from '../../../../src/adapters/tables/chunked';

describe('chunked JSON properties', () => {
  it('round-trips small and large payloads', () => {
    for (const size of [0, 10, 30_000, 30_001, 250_000]) {
      const json = JSON.stringify('é'.repeat(size));
      assert.equal(fromChunks(toChunks(json)), json);
    }
  });

  it('refuses payloads past what one entity holds, with advice', () => {
    assert.throws(() => toChunks('x'.repeat(2_000_000)), /pass references/);
  });
});
