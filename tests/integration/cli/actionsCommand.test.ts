import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { TableAuditLog } from '../../../src/adapters/tables/tableAuditLog';
import { run } from '../../../src/cli/autotier';
import type { AuditRecord } from '../../../src/ports/auditLog';
import { APP_ROOT } from '../../support/paths';
import { table, uniqueName } from '../../support/storage';

/** A licence that a playbook assigned for the demo client. */
const base: AuditRecord = {
  clientId: 'demo',
  ticketId: 'T-1001',
  step: 'playbook-1-licence',
  at: '2026-11-02T09:00:00.000Z',
  actor: 'autotier (app app-1)',
  requestedBy: 'sam@demo.example',
  action: 'licence_assigned',
  target: 'sam@demo.example',
  detail: 'VISIOCLIENT',
  reason: 'Access to Visio requested in T-1001',
  outcome: 'done',
};

describe('autotier actions', () => {
  it("prints a client's audit records from a date on, oldest first, and refuses a bad date", async () => {
    const prefix = uniqueName('t');
    process.env.AUTOTIER_TABLE_PREFIX = prefix;
    const log = new TableAuditLog(table(`${prefix}Audit`));
    await log.ensureTable();
    await log.record({ ...base, ticketId: 'T-1003', at: '2026-11-03T09:00:00.000Z' });
    await log.record(base);
    await log.record({ ...base, ticketId: 'T-0990', at: '2026-10-30T09:00:00.000Z' });
    await log.record({ ...base, clientId: 'other' });
    await log.record(base); // a retried activity rewrites its record

    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'actions-')), 'actions.jsonl');
    assert.equal(await run(['actions', '--client', 'demo', '--since', '2026-11-01', '--out', out]), 0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    assert.deepEqual(
      rows.map((r) => r.ticketId),
      ['T-1001', 'T-1003'],
    );
    assert.deepEqual(rows[0], base);
    await assert.rejects(
      run(['actions', '--client', 'demo', '--since', 'last week']),
      /--since must be a date/,
    );
  });
});

describe('npx autotier actions with no storage setting', () => {
  it("reads the Azurite npm start uses (10000-10002, or AUTOTIER_AZURITE_PORT_BASE's)", async (t) => {
    // This run's Azurite: the default ports, or the ones with-azurite put it on.
    const storage = process.env.AzureWebJobsStorage ?? '';
    const blobPort = /UseDevelopmentStorage=true/i.test(storage)
      ? 10000
      : Number(/BlobEndpoint=http:\/\/127\.0\.0\.1:(\d+)\//.exec(storage)?.[1] ?? NaN);
    if (!Number.isInteger(blobPort))
      return t.skip('this run uses a storage account that is not a local Azurite');
    const prefix = uniqueName('t');
    const log = new TableAuditLog(table(`${prefix}Audit`));
    await log.ensureTable();
    await log.record({ ...base, ticketId: 'T-2001' });
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('AzureWebJobsStorage')),
    );
    const r = spawnSync(path.join(APP_ROOT, 'bin', 'autotier.js'), ['actions', '--client', 'demo'], {
      encoding: 'utf8',
      env: {
        ...env,
        AUTOTIER_TABLE_PREFIX: prefix,
        AUTOTIER_AZURITE_PORT_BASE: blobPort === 10000 ? '' : String(blobPort),
      },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as AuditRecord).ticketId),
      ['T-2001'],
    );
  });
});
