import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { TableClientStore } from '../../../src/adapters/tables/tableClientStore';
import { classifyTicket } from '../../../src/domain/classification';
import { DEMO_CLIENT } from '../../../src/domain/client';
import { TextClassifier } from '../../../src/domain/model/textClassifier';
import { APP_ROOT } from '../../support/runtime';
import { table, uniqueName } from '../../support/storage';

const CLI = path.join(APP_ROOT, 'dist', 'src', 'cli', 'autotier.js');
const model = TextClassifier.deserialize(
  readFileSync(path.join(APP_ROOT, 'dist', 'models', 'builtin.bin.gz')),
);

/**
 * A history the built-in model gets entirely right, vague tickets included: every threshold is
 * precise, so tuning picks the lowest confidence among them, below 0.5.
 */
function historyFile(): { file: string; lowest: number } {
  const texts = [
    ...['printer offline', 'paper jam in tray 2', 'toner low', 'scanner not working', 'second monitor black'],
    ...['forgot my password', 'locked out of my account', 'password expired', 'new phone authenticator'],
    ...['vpn will not connect', 'forticlient error', 'remote desktop fails from home', 'vpn drops'],
    ...['excel crashes', 'outlook not responding', 'teams white screen', 'onedrive sync error'],
    ...['need a visio licence', 'access to the finance folder', 'shared mailbox access', 'install zoom'],
    ...['help', 'it is broken again', 'not working since monday', 'question', 'please call me', 'issue'],
  ];
  const rows = texts
    .map((t) => ({ t, c: classifyTicket(t, '', 0, model) }))
    .filter(({ c }) => c.route === 'auto');
  const dir = mkdtempSync(path.join(tmpdir(), 'autotier-tune-'));
  const file = path.join(dir, 'history.csv');
  writeFileSync(file, 'text,label\n' + rows.map(({ t, c }) => `${t},${c.category}`).join('\n') + '\n');
  return { file, lowest: Math.min(...rows.map(({ c }) => c.confidence)) };
}

describe('autotier classifier tune --client on Azurite', () => {
  it('never lowers a live threshold below 0.5 without --force, and prints the old and new value', async () => {
    const prefix = uniqueName('tune');
    const clientsTable = table(`${prefix}Clients`);
    await clientsTable.createTable();
    const clients = new TableClientStore(clientsTable);
    await clients.put({ ...DEMO_CLIENT, clientId: 'acme', autoThreshold: 0.6 });
    const { file, lowest } = historyFile();
    assert.ok(lowest < 0.5, `the history's lowest confidence ${lowest} must be under 0.5 for this test`);

    const tune = (...extra: string[]) =>
      spawnSync(
        process.execPath,
        [
          CLI,
          'classifier',
          'tune',
          '--data',
          file,
          '--text-column',
          'text',
          '--label-column',
          'label',
          '--precision',
          '0.9',
          '--client',
          'acme',
          ...extra,
        ],
        {
          encoding: 'utf8',
          env: {
            ...process.env,
            AUTOTIER_TABLE_PREFIX: prefix,
            AzureWebJobsStorage: process.env.AzureWebJobsStorage ?? 'UseDevelopmentStorage=true',
          },
        },
      );
    const refused = tune();
    assert.equal(refused.status, 1, refused.stderr);
    const tuned = (JSON.parse(refused.stdout) as { threshold: number }).threshold;
    assert.ok(tuned < 0.5);
    assert.match(
      refused.stderr,
      new RegExp(
        `client acme: automation threshold 0\\.6 -> ${tuned} not saved: that lowers it below 0\\.5; pass --force`,
      ),
    );
    assert.equal((await clients.get('acme'))?.autoThreshold, 0.6);

    const forced = tune('--force');
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stderr, new RegExp(`client acme: automation threshold 0\\.6 -> ${tuned}$`, 'm'));
    assert.equal((await clients.get('acme'))?.autoThreshold, tuned);
  });
});
