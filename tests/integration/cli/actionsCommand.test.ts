import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { TableAuditLog } from '../../../src/adapters/tables/tableAuditLog';
import { run } from '../../../src/cli/autotier';
import type { AuditRecord } from '../../../src/ports/auditLog';
import { table, uniqueName } from '../../support/storage';

describe('autotier actions', () => {
  it("prints a client's audit records from a date on, oldest first, and refuses a bad date", async () => {
    const prefix = uniqueName('t');
    process.env.AUTOTIER_TABLE_PREFIX = prefix;
    const log = new TableAuditLog(table(`${prefix}Audit`));
    await log.ensureTable();
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
