import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { timeSpanSeconds } from '../../../src/local/timeSpan';

describe('timeSpanSeconds (host.json TimeSpan values)', () => {
  it('reads hh:mm:ss and a fractional second', () => {
    assert.equal(timeSpanSeconds('00:00:02', 9), 2);
    assert.equal(timeSpanSeconds('01:02:03', 9), 3723);
    assert.equal(timeSpanSeconds('00:00:00.5', 9), 0.5);
  });
  it('answers the fallback when the value is absent or not a TimeSpan', () => {
    assert.equal(timeSpanSeconds(undefined, 30), 30);
    assert.equal(timeSpanSeconds('2s', 30), 30);
    assert.equal(timeSpanSeconds('00:00:02 ', 30), 30);
  });
});
