import assert from 'node:assert/strict';

import { parseArticle } from '../../src/cli/kbFiles';
import type { ResolutionLog, ResolutionRecord } from '../../src/ports/resolutionLog';

/**
 * A client's history for `kb candidates --draft`: three escalations of one kind that engineers
 * resolved (T-1..T-3, their notes naming the requester's address), and three that recur but nobody
 * resolved yet (T-7..T-9), which there is nothing to learn from.
 */
export async function recordRecurringFixes(log: Pick<ResolutionLog, 'record'>, at: string): Promise<void> {
  const add = (r: Partial<ResolutionRecord> & Pick<ResolutionRecord, 'ticketId' | 'outcome'>) =>
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
      summary: `Resolved by kim. Re-ran the drive mapping GPO for ${id}; mail kim.park@demo.example if it recurs.`,
    });
  }
  for (const id of ['T-7', 'T-8', 'T-9'])
    await add({
      ticketId: id,
      outcome: 'escalated',
      subject: 'Teams phone number not assigned',
      category: 'software_error',
    });
}

/** Asserts a draft file for that history: marked a draft from T-1..T-3, for demo, as the assistant wrote it. */
export function assertDraftOfRecurringFixes(text: string, at: string, steps: string[]): void {
  assert.match(text.split('\n')[1] ?? '', /^# DRAFT written by a language model from T-1, T-2, T-3: review/);
  const { article } = parseArticle('draft.md', text, new Date(at));
  assert.deepEqual(
    [article.clientId, article.category, article.title, article.steps, article.tags],
    ['demo', 'software_access', 'Mapped drive S: missing after restart', steps, ['drives', 'smb']],
  );
}
