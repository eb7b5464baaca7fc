import { createHmac, timingSafeEqual } from 'node:crypto';

import MiniSearch from 'minisearch';

import { ALL_CLIENTS, type KbArticle } from './kb';
import type { Stage, TimelineEntry } from './ticket';
import { strictBase64 } from './webhookAuth';

/**
 * The requester portal's signed values. The status token is long-lived and lets its holder read a
 * ticket's public view and answer or reply on it; it is signed with a key of its own, derived from
 * the link signing key, so it can never stand in for a single-use confirmation or rating token,
 * nor they for it. The form token names one visit to the portal's form: it keys the submission
 * (a double submit files one ticket) and "this solved it" (counted once per visit and article).
 */
export const STATUS_LINK_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;
/** A form left open over lunch still submits; an old one does not. */
export const FORM_LIFETIME_MS = 24 * 60 * 60 * 1000;

export const portalSigningKey = (linkSigningKey: string): string =>
  createHmac('sha256', linkSigningKey).update('autotier portal links v1').digest('base64url');

const sign = (fields: (string | number)[], key: string): string => {
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
};

export type Verified<T> =
  { ok: true; value: T } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

function verify(text: string, key: string, now: number, kind: string): Verified<(string | number)[]> {
  const [payload, sig, extra] = text.split('.');
  if (!payload || !sig || extra !== undefined || text.length > 1000)
    return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', key).update(payload).digest();
  const given = strictBase64(sig, 'base64url');
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  let fields: unknown;
  try {
    fields = JSON.parse(strictBase64(payload, 'base64url')?.toString('utf8') ?? '');
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Array.isArray(fields) || fields[0] !== kind || typeof fields.at(-1) !== 'number')
    return { ok: false, reason: 'malformed' };
  if (now > (fields.at(-1) as number)) return { ok: false, reason: 'expired' };
  return { ok: true, value: fields as (string | number)[] };
}

/** Deterministic per ticket (its expiry counts from the ticket's creation), so a retry signs the same link. */
export function signStatusToken(
  ticket: { ticketId: string; clientId: string; createdAt: string },
  linkSigningKey: string,
): string {
  const expiresAt = Date.parse(ticket.createdAt) + STATUS_LINK_LIFETIME_MS;
  return sign(['status', ticket.clientId, ticket.ticketId, expiresAt], portalSigningKey(linkSigningKey));
}

export type StatusTokenResult = Verified<true> | { ok: false; reason: 'wrong_ticket' };

export function verifyStatusToken(
  text: string,
  clientId: string,
  ticketId: string,
  linkSigningKey: string,
  now: number,
): StatusTokenResult {
  const v = verify(text, portalSigningKey(linkSigningKey), now, 'status');
  if (!v.ok) return v;
  const [, client, ticket] = v.value;
  if (client !== clientId || ticket !== ticketId) return { ok: false, reason: 'wrong_ticket' };
  return { ok: true, value: true };
}

export const statusPath = (clientId: string, ticketId: string, token: string): string =>
  `/api/portal/${encodeURIComponent(clientId)}/tickets/${encodeURIComponent(ticketId)}?token=${encodeURIComponent(token)}`;

export function signFormToken(clientId: string, visit: string, now: number, linkSigningKey: string): string {
  return sign(['form', clientId, visit, now + FORM_LIFETIME_MS], portalSigningKey(linkSigningKey));
}

/** The visit a form token names, when it is this client's and still fresh. */
export function verifyFormToken(
  text: string,
  clientId: string,
  linkSigningKey: string,
  now: number,
): Verified<string> {
  const v = verify(text, portalSigningKey(linkSigningKey), now, 'form');
  if (!v.ok) return v;
  const [, client, visit] = v.value;
  if (client !== clientId || typeof visit !== 'string') return { ok: false, reason: 'bad_signature' };
  return { ok: true, value: visit };
}

export interface Suggestion {
  id: string;
  title: string;
  score: number;
}

/** Too little to search on: a word or two of a subject still being typed. */
const MIN_QUERY_CHARS = 3;
export const MAX_SUGGESTIONS = 3;

/**
 * The client's own articles (and the MSP's general ones) that match what the requester has typed
 * so far, best first, by BM25 relevance (minisearch) with prefix and typo tolerance; scores are
 * relative to the best match (1), so the page can say how close each is.
 */
export function suggestArticles(articles: KbArticle[], clientId: string, query: string): Suggestion[] {
  const q = query.trim().slice(0, 500);
  if (q.length < MIN_QUERY_CHARS) return [];
  const mine = articles.filter((a) => a.clientId === clientId || a.clientId === ALL_CLIENTS);
  const search = new MiniSearch<{ id: string; title: string; text: string; tags: string }>({
    fields: ['title', 'text', 'tags'],
    storeFields: ['title'],
    searchOptions: { fuzzy: 0.2, prefix: true, boost: { title: 3, tags: 2 }, combineWith: 'OR' },
  });
  // The client's own article wins over a general one with the same id.
  const byId = new Map<string, KbArticle>();
  for (const a of mine) if (!byId.has(a.articleId) || a.clientId === clientId) byId.set(a.articleId, a);
  search.addAll(
    [...byId.values()].map((a) => ({
      id: a.articleId,
      title: a.title,
      text: a.steps.join(' '),
      tags: a.tags.join(' '),
    })),
  );
  const hits = search.search(q);
  const top = hits[0]?.score ?? 0;
  return hits
    .filter((h) => h.score >= top * 0.25)
    .slice(0, MAX_SUGGESTIONS)
    .map((h) => ({
      id: String(h.id),
      title: String(h.title),
      score: Math.round((h.score / top) * 100) / 100,
    }));
}

/** What the requester sees of each stage: the same words the mails use, never an internal note. */
export const STAGE_WORDS: Record<Stage, string> = {
  received: 'We received your request',
  classified: 'We looked at your request',
  resolving: 'We are working on a fix',
  awaiting_confirmation: 'We sent you steps to try and are waiting to hear if they worked',
  resolved: 'Resolved',
  escalated: 'An engineer has your request',
  closed: 'Closed',
};

export interface PublicTimelineEntry {
  at: string;
  text: string;
}

/**
 * The requester's view of a timeline: one line for each change of stage, in the stage's public
 * words. Notes are for engineers (plan notes, escalation reasons, what a playbook checked) and
 * never show, nor do entries that do not change the stage.
 */
export function publicTimeline(entries: TimelineEntry[]): PublicTimelineEntry[] {
  const out: PublicTimelineEntry[] = [];
  let last: Stage | undefined;
  for (const e of [...entries].sort((a, b) => a.at.localeCompare(b.at))) {
    if (!e.stage || e.stage === last) continue;
    last = e.stage;
    out.push({ at: e.at, text: STAGE_WORDS[e.stage] });
  }
  return out;
}

/** What happens next, in words, for a stage. */
export function whatNext(stage: Stage): string {
  switch (stage) {
    case 'received':
    case 'classified':
    case 'resolving':
      return "We're looking at it now. If we can fix it quickly you'll see the steps here in a few minutes.";
    case 'awaiting_confirmation':
      return 'Try the steps below, then tell us whether they worked.';
    case 'escalated':
      return 'One of our engineers will be in touch.';
    case 'resolved':
    case 'closed':
      return 'Nothing more to do. If the problem comes back, add a reply below.';
  }
}
