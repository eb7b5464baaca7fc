import MiniSearch from 'minisearch';

import type { Category } from './categories';
import type { ClientProfile } from './client';
import { similarity, terms } from './escalation';

/** Articles shared by every client live under this client id. */
export const ALL_CLIENTS = '*';

export interface KbArticle {
  articleId: string;
  /** A client's own article, or `*` for the MSP's general one. */
  clientId: string;
  category: Category;
  title: string;
  steps: string[];
  tags: string[];
  /** Blob names of pictures for the steps. */
  images: string[];
  /** What the article is specific to, matched against the client's system profile. */
  variant?: { vpnProduct?: string; printerModel?: string; site?: string };
  uses: number;
  successes: number;
  updatedAt: string;
}

/** Laplace-smoothed: a new article starts at 0.5 and earns its rate. */
export function successRate(a: Pick<KbArticle, 'uses' | 'successes'>): number {
  return (a.successes + 1) / (a.uses + 2);
}

function variantFits(a: KbArticle, client: ClientProfile, site: string | undefined): boolean {
  const v = a.variant;
  if (!v) return true;
  const all = client.systemProfile.printers ?? {};
  const atSite = site ? all[site] : undefined;
  // The requester's own site, when known, decides which printer model the guide is for.
  const printers = (atSite ? [atSite] : Object.values(all)).map((p) => p.toLowerCase());
  if (v.site && site && v.site.toLowerCase() !== site.toLowerCase()) return false;
  if (v.vpnProduct && v.vpnProduct.toLowerCase() !== (client.systemProfile.vpnProduct ?? '').toLowerCase())
    return false;
  if (v.printerModel && !printers.some((p) => p.includes(v.printerModel?.toLowerCase() ?? ''))) return false;
  return true;
}

/**
 * The best article for a ticket: the client's own and the general ones in its category, whose
 * variant fits the client, ranked by BM25 relevance to the ticket (minisearch), then by how often
 * each has fixed things, with the client's own articles first among equals.
 */
export function bestArticle(
  articles: KbArticle[],
  category: Category,
  client: ClientProfile,
  ticketText: string,
  requester: { site?: string } = {},
): KbArticle | undefined {
  const candidates = articles.filter(
    (a) =>
      a.category === category &&
      (a.clientId === client.clientId || a.clientId === ALL_CLIENTS) &&
      variantFits(a, client, requester.site),
  );
  if (candidates.length === 0) return undefined;
  const search = new MiniSearch<KbArticle & { id: string; text: string }>({
    fields: ['title', 'text', 'tags'],
    storeFields: ['id'],
    searchOptions: { fuzzy: 0.2, prefix: true, boost: { title: 2 } },
  });
  search.addAll(
    candidates.map((a) => ({
      ...a,
      id: `${a.clientId}/${a.articleId}`,
      text: a.steps.join(' '),
      tags: a.tags.join(' ') as unknown as string[],
    })),
  );
  const relevance = new Map(
    search.search(ticketText, { combineWith: 'OR' }).map((r) => [r.id as string, r.score]),
  );
  const top = Math.max(1, ...relevance.values());
  const score = (a: KbArticle) =>
    (relevance.get(`${a.clientId}/${a.articleId}`) ?? 0) / top +
    successRate(a) +
    (a.clientId === client.clientId ? 0.5 : 0) +
    (a.variant ? 0.5 : 0);
  return [...candidates].sort((x, y) => score(y) - score(x))[0];
}

/** Tags too general to say which error an article is about. */
const GENERIC_TAGS = new Set([
  'error',
  'errors',
  'crash',
  'crashes',
  'problem',
  'issue',
  'not working',
  'broken',
  'bug',
]);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A known-error article documents the fix for errors its tags name (the app, an error code, the
 * message): it matches a ticket when one of those tags appears in the ticket's text as whole words.
 * General tags such as "error" or "crash" never match on their own.
 */
export function matchesKnownError(article: Pick<KbArticle, 'tags'>, ticketText: string): boolean {
  const text = ticketText.toLowerCase().replace(/\s+/g, ' ');
  return article.tags.some((tag) => {
    const t = tag.trim().toLowerCase();
    if (!t || GENERIC_TAGS.has(t)) return false;
    return new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(t)}($|[^\\p{L}\\p{N}])`, 'u').test(text);
  });
}

export interface KbCandidate {
  category: Category;
  subjects: string[];
  ticketIds: string[];
}

/**
 * Escalations that keep coming back with the same words are work for a new article: groups of at
 * least `minCount` escalated tickets whose subjects overlap by `minSimilarity` or more.
 */
export function kbCandidates(
  escalations: { ticketId: string; subject: string; category: Category }[],
  minCount = 3,
  minSimilarity = 0.5,
): KbCandidate[] {
  const groups: { category: Category; terms: Set<string>; items: { ticketId: string; subject: string }[] }[] =
    [];
  for (const e of escalations) {
    const t = terms(e.subject);
    const group = groups.find((g) => g.category === e.category && similarity(g.terms, t) >= minSimilarity);
    if (group) group.items.push(e);
    else groups.push({ category: e.category, terms: t, items: [e] });
  }
  return groups
    .filter((g) => g.items.length >= minCount)
    .sort((a, b) => b.items.length - a.items.length)
    .map((g) => ({
      category: g.category,
      subjects: [...new Set(g.items.map((i) => i.subject))],
      ticketIds: g.items.map((i) => i.ticketId),
    }));
}
