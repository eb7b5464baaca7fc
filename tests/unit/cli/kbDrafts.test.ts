import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { draftKbArticles } from '../../../src/cli/kbDrafts';
import type { AssistantRequest, AssistantUse } from '../../../src/domain/assistant';
import type { Assistant } from '../../../src/ports/assistant';
import { MemoryResolutions } from '../../support/fakes';
import { assertDraftOfRecurringFixes, recordRecurringFixes } from '../../support/kbDraftHistory';

const at = '2026-03-02T10:00:00.000Z';

/** Answers a fixed draft for every request and keeps what was asked. */
class DraftingAssistant implements Assistant {
  readonly asked: AssistantRequest<AssistantUse>[] = [];
  constructor(private readonly answer: boolean) {}
  ask<U extends AssistantUse>(request: AssistantRequest<U>) {
    this.asked.push(request);
    return Promise.resolve(
      (this.answer
        ? {
            title: 'Mapped drive S: missing after restart',
            steps: ['Open File Explorer', 'Reconnect S:'],
            tags: ['Drives', 'smb'],
          }
        : undefined) as never,
    );
  }
}

async function resolutions() {
  const log = new MemoryResolutions();
  await recordRecurringFixes(log, at);
  return log;
}

describe('kb candidates --draft', () => {
  it('drafts recurring engineer-resolved escalations as kb/ article files, labelled as drafts, and imports nothing', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kb-drafts-'));
    const assistant = new DraftingAssistant(true);
    const { written, candidates } = await draftKbArticles(
      { assistant, resolutions: await resolutions(), now: () => new Date(at) },
      'demo',
      3,
      out,
    );
    assert.equal(candidates.length, 1);
    assert.deepEqual(readdirSync(out), ['draft-mapped-drive-s-missing-after-restart.md']);
    assert.equal(written.length, 1);
    const text = readFileSync(written[0] ?? '', 'utf8');
    assertDraftOfRecurringFixes(text, at, ['Open File Explorer', 'Reconnect S:']);
    const [request] = assistant.asked;
    assert.equal(request?.use, 'kb_draft');
    assert.match(JSON.stringify(request?.input), /Re-ran the drive mapping GPO for T-1/);
  });

  it('writes nothing for a group the assistant gave no answer for', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kb-drafts-'));
    const { written, unanswered } = await draftKbArticles(
      { assistant: new DraftingAssistant(false), resolutions: await resolutions(), now: () => new Date(at) },
      'demo',
      3,
      out,
    );
    assert.deepEqual([written, readdirSync(out), unanswered.length], [[], [], 1]);
  });
});
