import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { TableResolutionLog } from '../../../src/adapters/tables/tableResolutionLog';
import { Tables } from '../../../src/names';
import { type FakeAzureOpenAi, json, startFakeAzureOpenAi } from '../../support/fakeAzureOpenAi';
import { assertDraftOfRecurringFixes, recordRecurringFixes } from '../../support/kbDraftHistory';
import { APP_ROOT } from '../../support/paths';
import { table, uniqueName } from '../../support/storage';

const at = '2026-03-02T10:00:00.000Z';

/** The built `autotier` command as a process of its own, against this run's Azurite (not awaited synchronously: the local chat server answers it from this process). */
const autotier = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('AUTOTIER_OPENAI_')),
    ) as Record<string, string>;
    execFile(
      process.execPath,
      [path.join(APP_ROOT, 'bin', 'autotier.js'), ...args],
      { env: { ...base, ...env }, encoding: 'utf8' },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

/** How many rows a table holds (0 when it does not exist). */
const rows = async (name: string) => {
  let n = 0;
  try {
    for await (const _ of table(name).listEntities()) n++;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
  return n;
};

describe('autotier kb candidates --draft --out DIR', () => {
  let chat: FakeAzureOpenAi;
  const prefix = uniqueName('t');
  before(async () => {
    chat = await startFakeAzureOpenAi();
    chat.answerWith((req) =>
      req.use === 'kb_draft'
        ? json({
            title: 'Mapped drive S: missing after restart',
            steps: ['Open File Explorer', 'Choose Map network drive and reconnect S:'],
            tags: ['Drives', 'SMB'],
          })
        : { status: 500 },
    );
    const log = new TableResolutionLog(table(`${prefix}${Tables.resolutions}`));
    await log.ensureTable();
    await recordRecurringFixes(log, at);
    // Another client's group: never in this client's drafts.
    for (const id of ['T-11', 'T-12', 'T-13']) {
      const globex = {
        ticketId: id,
        clientId: 'globex',
        category: 'software_access',
        subject: 'S drive',
        at,
      } as const;
      await log.record({ ...globex, outcome: 'escalated', summary: '' });
      await log.record({ ...globex, outcome: 'resolved_by_engineer', summary: 'Globex only' });
    }
  });
  after(() => chat.close());

  const assistantEnv = () => ({
    AUTOTIER_TABLE_PREFIX: prefix,
    AUTOTIER_OPENAI_ENDPOINT: chat.endpoint,
    AUTOTIER_OPENAI_DEPLOYMENT: chat.deployment,
    AUTOTIER_OPENAI_API_KEY: 'local-test-key',
  });

  it('writes one Markdown draft per recurring engineer-resolved group, through the chat server, and imports nothing', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'kb-drafts-')), 'drafts');
    const r = await autotier(
      ['kb', 'candidates', '--client', 'demo', '--draft', '--out', out],
      assistantEnv(),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`^1 candidate; drafted 1 into ${out} \\(review them, then autotier kb import`),
    );

    assert.deepEqual(readdirSync(out), ['draft-mapped-drive-s-missing-after-restart.md']);
    const text = readFileSync(path.join(out, 'draft-mapped-drive-s-missing-after-restart.md'), 'utf8');
    assertDraftOfRecurringFixes(text, at, [
      'Open File Explorer',
      'Choose Map network drive and reconnect S:',
    ]);

    // One request, in the kb_draft shape, with the engineers' notes and none of another client's.
    assert.equal(chat.requests.length, 1);
    const [request] = chat.requests;
    assert.equal(request?.use, 'kb_draft');
    assert.equal(request?.apiKey, 'local-test-key');
    assert.deepEqual(request?.body.response_format, { type: 'json_object' });
    assert.match(request?.raw ?? '', /Re-ran the drive mapping GPO for T-1/);
    assert.doesNotMatch(request?.raw ?? '', /Globex only|Teams phone number/);
    assert.doesNotMatch(request?.raw ?? '', /kim\.park@demo\.example/, 'addresses are masked');

    // Nothing was published: the knowledge base is as it was (empty), and the usage was counted.
    assert.equal(await rows(`${prefix}${Tables.kb}`), 0);
    assert.equal(await rows(`${prefix}${Tables.assistantUsage}`), 1);
  });

  it('says in one line how to turn the assistant on when it is not configured, and writes nothing', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'kb-drafts-')), 'drafts');
    const before = chat.requests.length;
    const r = await autotier(['kb', 'candidates', '--client', 'demo', '--draft', '--out', out], {
      AUTOTIER_TABLE_PREFIX: prefix,
    });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'autotier: --draft needs the assistant: set AUTOTIER_OPENAI_ENDPOINT and AUTOTIER_OPENAI_DEPLOYMENT\n',
    );
    assert.equal(r.stdout, '');
    assert.equal(existsSync(out), false);
    assert.equal(chat.requests.length, before);
  });
});
