import assert from 'node:assert/strict';
import { it } from 'node:test';

import { type ClientProfile, DEMO_CLIENT } from '../../src/domain/client';
import type { AuditLog, AuditRecord } from '../../src/ports/auditLog';
import type { ClientStore } from '../../src/ports/clientStore';
import type { ResolutionLog, ResolutionRecord } from '../../src/ports/resolutionLog';
import type { TokenStore } from '../../src/ports/tokenStore';

/** What every ClientStore does; `make` gives an empty one. */
export function clientStoreContract(make: () => Promise<ClientStore>): void {
  it('keeps one profile per client id: put replaces, get and list read', async () => {
    const store = await make();
    assert.equal(await store.get('acme'), undefined);
    assert.deepEqual(await store.list(), []);
    const acme: ClientProfile = { ...DEMO_CLIENT, clientId: 'acme', name: 'Acme' };
    await store.put(acme);
    await store.put({ ...acme, name: 'Acme Ltd' });
    await store.put({ ...DEMO_CLIENT, clientId: 'globex', name: 'Globex' });
    assert.equal((await store.get('acme'))?.name, 'Acme Ltd');
    assert.deepEqual((await store.list()).map((c) => c.clientId).sort(), ['acme', 'globex']);
  });
}

const audit = (over: Partial<AuditRecord>): AuditRecord => ({
  clientId: 'acme',
  ticketId: 'T-1001',
  step: 'playbook-1-licence',
  at: '2026-11-02T09:00:00.000Z',
  actor: 'autotier (app app-1)',
  requestedBy: 'sam@acme.example',
  action: 'licence_assigned',
  target: 'sam@acme.example',
  detail: 'VISIOCLIENT',
  reason: 'Access to Visio requested in T-1001',
  outcome: 'done',
  ...over,
});

/** What every AuditLog does; `make` gives an empty one. */
export function auditLogContract(make: () => Promise<AuditLog>): void {
  it("one record per (client, ticket, step): a retry rewrites it; a client's records oldest first, from a time on", async () => {
    const log = await make();
    await log.record(audit({ ticketId: 'T-3', at: '2026-11-03T09:00:00.000Z' }));
    await log.record(audit({ outcome: 'failed' }));
    await log.record(audit({}));
    await log.record(audit({ ticketId: 'T-0', at: '2026-10-30T09:00:00.000Z' }));
    await log.record(audit({ clientId: 'globex' }));
    assert.deepEqual(await log.get('acme', 'T-1001', 'playbook-1-licence'), audit({}));
    assert.equal(await log.get('acme', 'T-1001', 'other-step'), undefined);
    assert.deepEqual(
      (await log.forClient('acme')).map((r) => r.ticketId),
      ['T-0', 'T-1001', 'T-3'],
    );
    assert.deepEqual(
      (await log.forClient('acme', '2026-11-01T00:00:00.000Z')).map((r) => r.ticketId),
      ['T-1001', 'T-3'],
    );
  });
}

const resolution = (over: Partial<ResolutionRecord>): ResolutionRecord => ({
  ticketId: 'T-1',
  clientId: 'acme',
  category: 'printer_peripheral',
  outcome: 'resolved_confirmed',
  subject: 'Printer offline',
  summary: 'Power-cycled the printer',
  at: '2026-03-02T10:00:00.000Z',
  ...over,
});

/** What every ResolutionLog does; `make` gives an empty one. */
export function resolutionLogContract(make: () => Promise<ResolutionLog>): void {
  it('one record per (ticket, outcome); the newest solved ones first, at most the limit', async () => {
    const log = await make();
    await log.record(resolution({ ticketId: 'T-1', at: '2026-03-02T10:00:00.000Z' }));
    await log.record(resolution({ ticketId: 'T-1', summary: 'rewritten' }));
    await log.record(
      resolution({ ticketId: 'T-2', at: '2026-03-03T10:00:00.000Z', outcome: 'resolved_by_engineer' }),
    );
    await log.record(resolution({ ticketId: 'T-3', at: '2026-03-04T10:00:00.000Z', outcome: 'escalated' }));
    await log.record(resolution({ ticketId: 'T-4', at: '2026-03-01T10:00:00.000Z' }));
    await log.record(resolution({ clientId: 'globex', ticketId: 'T-9' }));
    assert.deepEqual((await log.forClient('acme')).map((r) => `${r.ticketId} ${r.outcome}`).sort(), [
      'T-1 resolved_confirmed',
      'T-2 resolved_by_engineer',
      'T-3 escalated',
      'T-4 resolved_confirmed',
    ]);
    assert.equal((await log.forClient('acme')).find((r) => r.ticketId === 'T-1')?.summary, 'rewritten');
    assert.deepEqual(
      (await log.recentSolved('acme', 2)).map((r) => r.ticketId),
      ['T-2', 'T-1'],
    );
  });

  it('markReopened flags the solved records from that time or before, and keeps a later solution', async () => {
    const log = await make();
    await log.record(resolution({ ticketId: 'T-1', at: '2026-03-02T10:00:00.000Z' }));
    await log.record(
      resolution({ ticketId: 'T-1', outcome: 'resolved_by_engineer', at: '2026-03-05T10:00:00.000Z' }),
    );
    await log.markReopened('T-1', 'acme', '2026-03-03T00:00:00.000Z');
    await log.markReopened('T-1', 'acme', '2026-03-03T00:00:00.000Z');
    const flags = (await log.recentSolved('acme', 10)).map((r) => [r.outcome, r.reopened === true]);
    assert.deepEqual(flags, [
      ['resolved_by_engineer', false],
      ['resolved_confirmed', true],
    ]);
  });
}

/** What every TokenStore does; `make` gives an empty one. */
export function tokenStoreContract(make: () => Promise<TokenStore>): void {
  it('a nonce is used once; forgetting it lets it be used again', async () => {
    const tokens = await make();
    const expires = new Date('2026-03-10T10:00:00.000Z');
    assert.equal(await tokens.use('n1'), true);
    assert.equal(await tokens.use('n1'), false);
    assert.equal(await tokens.use('n2', expires), true);
    assert.equal(await tokens.use('n2', expires), false);
    await tokens.forget('n2', expires);
    assert.equal(await tokens.use('n2', expires), true);
    await tokens.forget('never-used');
  });

  it('sweep forgets nonces whose expiry has passed (by the next day at the latest) and keeps the rest', async () => {
    const tokens = await make();
    await tokens.use('expired', new Date('2026-03-02T10:00:00.000Z'));
    await tokens.use('current', new Date('2026-03-20T10:00:00.000Z'));
    await tokens.use('forever');
    assert.equal(await tokens.sweep(new Date('2026-03-04T00:00:00.000Z')), 1);
    assert.equal(await tokens.use('expired', new Date('2026-03-02T10:00:00.000Z')), true);
    assert.equal(await tokens.use('current', new Date('2026-03-20T10:00:00.000Z')), false);
    assert.equal(await tokens.use('forever'), false);
  });
}
