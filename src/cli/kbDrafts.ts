import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { type KbCandidate, kbCandidates } from '../domain/kb';
import type { Assistant } from '../ports/assistant';
import type { ResolutionLog } from '../ports/resolutionLog';
import { writeAtomically } from './files';
import { formatArticle } from './kbFiles';

export interface KbDraftDeps {
  assistant: Assistant;
  resolutions: Pick<ResolutionLog, 'forClient'>;
  now: () => Date;
}

/** At most this many tickets of a group go into one draft's prompt. */
const TICKETS_PER_DRAFT = 10;

const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50) || 'article';

/**
 * Drafts a knowledge-base article for each group of escalations that recur and that engineers
 * resolved (their resolution notes are what the article is made of), with the assistant, as
 * Markdown files in the `kb/` format under `outDir`. Nothing is published: a person reviews the
 * files and runs `autotier kb import`. A group the assistant gave no answer for is reported, not
 * written.
 */
export async function draftKbArticles(
  deps: KbDraftDeps,
  clientId: string,
  minCount: number,
  outDir: string,
): Promise<{ written: string[]; candidates: KbCandidate[]; unanswered: KbCandidate[] }> {
  const records = await deps.resolutions.forClient(clientId);
  const fixes = new Map(
    records
      .filter((r) => r.outcome === 'resolved_by_engineer' && !r.reopened)
      .map((r) => [r.ticketId, r.summary]),
  );
  const candidates = kbCandidates(
    records
      .filter((r) => r.outcome === 'escalated' && fixes.has(r.ticketId))
      .map((r) => ({ ticketId: r.ticketId, subject: r.subject, category: r.category })),
    minCount,
  );
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const unanswered: KbCandidate[] = [];
  for (const candidate of candidates) {
    const ids = candidate.ticketIds.slice(0, TICKETS_PER_DRAFT);
    const draft = await deps.assistant.ask({
      use: 'kb_draft',
      clientId,
      key: `kb-draft.${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 16)}`,
      input: {
        category: candidate.category,
        tickets: ids.map((id, i) => ({
          subject: candidate.subjects[i] ?? '',
          resolution: fixes.get(id) ?? '',
        })),
      },
    });
    if (!draft) {
      unanswered.push(candidate);
      continue;
    }
    const articleId = `draft-${slug(draft.title)}`;
    const markdown = formatArticle({
      articleId,
      clientId,
      category: candidate.category,
      title: draft.title,
      steps: draft.steps,
      tags: draft.tags.map((t) => t.toLowerCase()),
      images: [],
      uses: 0,
      successes: 0,
      updatedAt: deps.now().toISOString(),
    }).replace(
      /^---\n/,
      `---\n# DRAFT written by a language model from ${ids.join(', ')}: review and edit before \`autotier kb import\`.\n`,
    );
    const file = path.join(outDir, `${articleId}.md`);
    writeAtomically(file, markdown);
    written.push(file);
  }
  return { written, candidates, unanswered };
}
