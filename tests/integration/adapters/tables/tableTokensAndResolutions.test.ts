import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { TableClient } from '@azure/data-tables';

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

  it('marks a reopened ticket in the bounded read, idempotently, and keeps a solution recorded after the reopen', async () => {
    const table = await freshTable('resolutions');
    const log = new TableResolutionLog(table);
    const at = (minute: number) =>
      new Date(Date.parse('2026-03-01T00:00:00Z') + minute * 60_000).toISOString();
    const solved = (
      ticketId: string,
      outcome: ResolutionRecord['outcome'],
      minute: number,
    ): ResolutionRecord => ({
      ticketId,
      clientId: 'acme',
      category: 'vpn_remote_access',
      outcome,
      subject: `VPN ${ticketId}`,
      summary: `${outcome} at ${minute}`,
      at: at(minute),
    });
    await log.record(solved('T-1', 'resolved_unconfirmed', 1));
    await log.record(solved('T-1', 'escalated', 0));
    await log.record(solved('T-2', 'resolved_confirmed', 2));
    await log.record({ ...solved('T-1', 'resolved_unconfirmed', 1), clientId: 'other' });
    const rows = await countRows(table);

    await log.markReopened('T-1', 'acme', at(5));
    await log.markReopened('T-1', 'acme', at(5));
    const flags = async () =>
      (await log.recentSolved('acme', 10)).map((r) => [r.ticketId, r.outcome, r.reopened ?? false]);
    assert.deepEqual(await flags(), [
      ['T-2', 'resolved_confirmed', false],
      ['T-1', 'resolved_unconfirmed', true],
    ]);
    assert.equal(await countRows(table), rows, 'flags are written into the existing rows');
    const full = await log.forClient('acme');
    assert.equal(
      full.find((r) => r.outcome === 'resolved_unconfirmed')?.reopened,
      true,
      'and into the full log',
    );
    assert.equal(
      full.find((r) => r.outcome === 'escalated')?.reopened,
      undefined,
      'an escalation is not a solution',
    );
    assert.equal((await log.recentSolved('other', 10))[0]?.reopened, undefined, 'only the client named');

    // An engineer solves it after the reopen; a retried marking leaves that solution alone.
    await log.record(solved('T-1', 'resolved_by_engineer', 9));
    await log.markReopened('T-1', 'acme', at(5));
    assert.deepEqual(await flags(), [
      ['T-1', 'resolved_by_engineer', false],
      ['T-2', 'resolved_confirmed', false],
      ['T-1', 'resolved_unconfirmed', true],
    ]);
    await log.markReopened('T-404', 'acme', at(5));
  });

  it('starts the marking over when the record changes between its read and its write', async () => {
    const table = await freshTable('resolutions');
    const plain = new TableResolutionLog(table);
    const entry: ResolutionRecord = {
      ticketId: 'T-7',
      clientId: 'acme',
      category: 'printer_peripheral',
      outcome: 'resolved_by_engineer',
      subject: 'Printer offline',
      summary: 'first note',
      at: '2026-03-01T10:00:00.000Z',
    };
    await plain.record(entry);
    let raced = false;
    const racing = new Proxy(table, {
      get(target, property) {
        if (property === 'submitTransaction' && !raced)
          return async (actions: Parameters<TableClient['submitTransaction']>[0]) => {
            raced = true;
            await plain.record({ ...entry, summary: 'corrected note' });
            return target.submitTransaction(actions);
          };
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await new TableResolutionLog(racing).markReopened('T-7', 'acme', '2026-03-02T00:00:00.000Z');
    assert.ok(raced);
    for (const read of [await plain.forClient('acme'), await plain.recentSolved('acme', 5)])
      assert.deepEqual(
        read.map((r) => [r.summary, r.reopened]),
        [['corrected note', true]],
      );
  });
});
