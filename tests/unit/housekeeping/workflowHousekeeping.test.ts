import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type * as df from 'durable-functions';

import { workflowHousekeeping } from '../../../src/housekeeping/workflowHousekeeping';
import type { RawCopies } from '../../../src/ports/rawCopies';
import { MemoryTokens, RecordingOps } from '../../support/fakes';

const DAY = 24 * 60 * 60 * 1000;

describe('workflow housekeeping: raw retention', () => {
  it('asks every raw store to delete what is older than AUTOTIER_RAW_RETENTION_DAYS', async () => {
    const cutoffs: [string, string][] = [];
    const store = (name: string, deleted: number): RawCopies => ({
      name,
      purgeBefore: (cutoff) => {
        cutoffs.push([name, cutoff.toISOString()]);
        return Promise.resolve(deleted);
      },
    });
    const client = {
      getStatusBy: () => Promise.resolve([]),
      purgeInstanceHistoryBy: () => Promise.resolve({ instancesDeleted: 0 }),
    } as unknown as df.DurableClient;
    const logs: string[] = [];
    const now = new Date('2026-04-01T00:05:00Z');
    const result = await workflowHousekeeping({
      client,
      notifier: new RecordingOps(),
      tokens: new MemoryTokens(),
      now,
      retentionDays: 30,
      raw: { copies: [store('raw mail', 2), store('review entries', 1)], retentionDays: 10 },
      log: (m) => logs.push(m),
      error: () => {},
    });
    const tenDaysBefore = new Date(now.getTime() - 10 * DAY).toISOString();
    assert.deepEqual(cutoffs, [
      ['raw mail', tenDaysBefore],
      ['review entries', tenDaysBefore],
    ]);
    assert.equal(result.rawDeleted, 3);
    assert.ok(logs.includes('deleted 2 raw mail older than 10 days'));
  });
});
