import MiniSearch from 'minisearch';

import type { Category } from './categories';
import { type SimilarTicket, STOP_WORDS } from './escalation';

export interface PastTicket {
  ticketId: string;
  subject: string;
  summary: string;
  category?: Category;
}

/**
 * The client's past tickets most like this one, ranked by BM25 relevance (minisearch: fuzzy and
 * prefix matching, the subject weighted double) over their subjects and how they were solved.
 * Stop words do not count, so every result shares a real word with the ticket; scores are relative
 * to the best (1.0).
 */
export function similarTickets(text: string, past: PastTicket[], limit: number): SimilarTicket[] {
  if (past.length === 0 || !text.trim()) return [];
  const index = new MiniSearch<PastTicket & { id: string }>({
    fields: ['subject', 'summary'],
    storeFields: ['id'],
    processTerm: (term) => {
      const t = term.toLowerCase();
      return t.length < 2 || STOP_WORDS.has(t) ? null : t;
    },
    searchOptions: { fuzzy: 0.2, prefix: true, boost: { subject: 2 } },
  });
  const byId = new Map(past.map((p) => [p.ticketId, p]));
  index.addAll([...byId.values()].map((p) => ({ ...p, id: p.ticketId })));
  const hits = index.search(text, { combineWith: 'OR' });
  const best = hits[0]?.score ?? 0;
  return hits.slice(0, limit).map((h) => {
    const p = byId.get(h.id as string)!;
    return {
      ticketId: p.ticketId,
      subject: p.subject,
      category: p.category,
      resolution: p.summary,
      score: Math.round((h.score / best) * 100) / 100,
    };
  });
}
