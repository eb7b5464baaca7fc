import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { draftKbArticles } from '../../../src/cli/kbDrafts';
import { parseArticle } from '../../../src/cli/kbFiles';
import type { AssistantRequest, AssistantUse } from '../../../src/domain/assistant';
import type { Assistant } from '../../../src/ports/assistant';
import type { ResolutionRecord } from '../../../src/ports/resolutionLog';
import { MemoryResolutions } from '../../support/fakes';

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
  const add = (r: Partial<ResolutionRecord> & { ticketId: string; outcome: ResolutionRecord['outcome'] }) =>
    log.record({
      clientId: 'demo',
      category: 'software_access',
      subject: 'S drive missing after restart',
      summary: '',
      at,
      ...r,
    });
  for (const id of ['T-1', 'T-2', 'T-3']) {
    await add({ ticketId: id, outcome: 'escalated' });
    await add({
      ticketId: id,
      outcome: 'resolved_by_engineer',
      summary: `Resolved by kim. Re-ran the drive mapping GPO for ${id}.`,
    });
  }
  // Escalated and recurring, but nobody resolved them yet: nothing to learn from.
  for (const id of ['T-7', 'T-8', 'T-9'])
    await add({
      ticketId: id,
      outcome: 'escalated',
      subject: 'Teams phone number not assigned',
      category: 'software_error',
    });
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
    assert.match(text.split('\n')[1] ?? '', /^# DRAFT written by a language model from T-1, T-2, T-3/);
    const { article } = parseArticle('draft.md', text, new Date(at));
    assert.deepEqual(
      [article.clientId, article.category, article.title, article.steps, article.tags],
      [
        'demo',
        'software_access',
        'Mapped drive S: missing after restart',
        ['Open File Explorer', 'Reconnect S:'],
        ['drives', 'smb'],
      ],
    );
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
