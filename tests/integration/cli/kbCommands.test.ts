import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import {
  createBlobServiceClient,
  storageConnectionFromSettings,
} from '../../../src/adapters/tables/storageClients';
import { TableKnowledgeBase } from '../../../src/adapters/tables/tableKnowledgeBase';
import { exportKb, importKb } from '../../../src/cli/kbFiles';
import { APP_ROOT } from '../../support/runtime';
import { freshTable, uniqueName } from '../../support/storage';

describe('the knowledge base on Azurite', () => {
  it('imports the starter articles, counts outcomes once per key, and exports them again with images', async () => {
    const kb = new TableKnowledgeBase(await freshTable('kb'));
    const images = createBlobServiceClient(
      storageConnectionFromSettings('AzureWebJobsStorage'),
    ).getContainerClient(uniqueName('kb-'));
    const src = mkdtempSync(path.join(tmpdir(), 'kb-in-'));
    for (const f of ['vpn-forticlient.md', 'password-sspr.md'])
      writeFileSync(path.join(src, f), readFileSync(path.join(APP_ROOT, 'kb', f)));
    writeFileSync(
      path.join(src, 'password-sspr.md'),
      readFileSync(path.join(src, 'password-sspr.md'), 'utf8').replace(
        'tags: [',
        'images: [sspr.png]\ntags: [',
      ),
    );
    writeFileSync(path.join(src, 'sspr.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    assert.equal(await importKb(src, kb, images), 2);

    assert.deepEqual((await kb.forClient('demo')).map((a) => a.articleId).sort(), [
      'password-sspr',
      'vpn-forticlient',
    ]);
    assert.deepEqual(
      (await kb.forClient('globex')).map((a) => a.articleId),
      ['password-sspr'],
    );

    await Promise.all([
      kb.recordOutcome('demo', 'password-sspr', true, 'T-1'),
      kb.recordOutcome('demo', 'password-sspr', true, 'T-1'),
      kb.recordOutcome('demo', 'password-sspr', false, 'T-2'),
      kb.recordOutcome('demo', 'password-sspr', true, 'T-3'),
    ]);
    const sspr = (await kb.all()).find((a) => a.articleId === 'password-sspr');
    assert.deepEqual([sspr?.uses, sspr?.successes], [3, 2]);

    assert.equal(await importKb(src, kb, images), 2, 're-importing is fine');
    assert.equal(
      (await kb.all()).find((a) => a.articleId === 'password-sspr')?.uses,
      3,
      'and keeps what articles earned',
    );

    const out = mkdtempSync(path.join(tmpdir(), 'kb-out-'));
    assert.equal(await exportKb(out, kb, images), 2);
    assert.match(
      readFileSync(path.join(out, '_all--password-sspr.md'), 'utf8'),
      /uses: 3\nsuccesses: 2\n---\n1\. Go to https:\/\/aka\.ms\/sspr/,
    );
    assert.ok(existsSync(path.join(out, 'sspr.png')));
  });

  it('checks every file before writing anything', async () => {
    const kb = new TableKnowledgeBase(await freshTable('kb'));
    const src = mkdtempSync(path.join(tmpdir(), 'kb-bad-'));
    writeFileSync(path.join(src, 'a.md'), readFileSync(path.join(APP_ROOT, 'kb', 'outlook-crash.md')));
    writeFileSync(path.join(src, 'b.md'), '---\nid: b\ncategory: nope\ntitle: x\n---\n1. y\n');
    await assert.rejects(importKb(src, kb, undefined), /b\.md: category "nope"/);
    assert.deepEqual(await kb.all(), []);
  });
});
