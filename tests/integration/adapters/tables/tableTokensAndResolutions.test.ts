import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TableResolutionLog } from '../../../../src/adapters/tables/tableResolutionLog';
import { TableTokenStore } from '../../../../src/adapters/tables/tableTokenStore';
import type { ResolutionRecord } from '../../../../src/ports/resolutionLog';
import { countRows, freshTable } from '../../../support/storage';

const DAY = 86_400_000;

describe('TableTokenStore on Azurite', () => {
  it('uses a nonce once, and forgets it only after its expiry has passed', async () => {
    const table = await freshTable('tokens');
    const tokens = new TableTokenStore(table);
    const now = new Date('2026-03-02T10:00:00Z');
    assert.equal(await tokens.use('link-a', new Date(now.getTime() + 14 * DAY)), true);
    assert.equal(await tokens.use('link-a', new Date(now.getTime() + 14 * DAY)), false);
    assert.equal(await tokens.use('webhook:generic:a/b#c?d', new Date(now.getTime() + DAY)), true);
    assert.equal(await tokens.use('forever'), true);
    assert.equal(await tokens.sweep(new Date(now.getTime() + 2 * DAY)), 1, 'only the one-day id has expired');
    assert.equal(await tokens.sweep(new Date(now.getTime() + 20 * DAY)), 1);
    assert.equal(await countRows(table), 1, 'a nonce without an expiry stays');
    assert.equal(await tokens.use('forever'), false);
  });
});

describe('TableResolutionLog on Azurite', () => {
  const record = (i: number, outcome: ResolutionRecord['outcome']): ResolutionRecord => ({
    ticketId: `T-${1000 + i}`,
    clientId: 'acme',
    category: 'printer_peripheral',
    outcome,
    subject: `Printer ${i}`,
    summary: `fixed ${i}`,
    at: new Date(Date.parse('2026-03-01T00:00:00Z') + i * 60_000).toISOString(),
  });

  it('reads the latest solved tickets newest first as one bounded range; escalations are not among them', async () => {
    const log = new TableResolutionLog(await freshTable('resolutions'));
    for (let i = 0; i < 12; i++)
      await log.record(record(i, i % 3 === 0 ? 'escalated' : 'resolved_by_engineer'));
    const recent = await log.recentSolved('acme', 5);
    assert.deepEqual(
      recent.map((r) => r.ticketId),
      ['T-1011', 'T-1010', 'T-1008', 'T-1007', 'T-1005'],
    );
    assert.equal((await log.forClient('acme')).length, 12, 'the full log is unchanged');
  });
});
