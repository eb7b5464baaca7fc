import type { Category } from './categories';
import { type SimilarTicket, STOP_WORDS } from './escalation';
import { foldText } from './text';

export interface PastTicket {
  ticketId: string;
  subject: string;
  /** How it was solved. */
  summary: string;
  category?: Category;
  /** The requester came back after it was solved: the summary is not how to solve it. */
  reopened?: boolean;
}

/** Below this the words two tickets share are too few or too common to be worth an engineer's time. */
export const MIN_SIMILARITY = 0.2;
/** A ticket filed under another category must be this alike to be offered: nearly the same words. */
export const CROSS_CATEGORY_SIMILARITY = 0.5;
/** How it was solved counts half as much as what the problem was. */
const SUMMARY_WEIGHT = 0.5;
/** Enough of a ticket to say what it is about; keeps the work per ticket bounded. */
const MAX_TEXT = 5000;
/** Typos are looked for in this many of the ticket's words that no past ticket uses, the first ones. */
const MAX_SPELLED = 64;

/** Words that say nothing about the problem: function words of the five languages and mail politeness. */
const NOISE: ReadonlySet<string> = new Set([
  ...STOP_WORDS,
  ...`a an as at be been by do does did i im is it its me of on or so to up us we if in no re via all any
      again also am after before since just now still when what which who why how then than there their
      they them these those will would could should get got has had was were your yours
      hi hello dear team thanks thank regards best kind cheers sent iphone ok okay
      der die das den dem des ein eine einen und oder ist sind bei mit von zu im am auf fur nicht ich es
      wir sie bitte danke hallo gruss grusse mfg vielen seit noch
      el la los las un una y o de del en con por para que se mi su al lo hola gracias saludos
      le les une et ou du des au aux avec pour sur dans ne pas je il elle mon ma mes bonjour merci cordialement
      het een en of van op te met voor niet ik je mijn bij naar dat dit bedankt groeten`.split(/\s+/),
]);

/**
 * A crude English stemmer, applied alike to both sides: "drops", "dropped" and "dropping" are
 * "drop"; "updated" and "update" are "updat". Other languages keep their words whole.
 */
function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  let base = word;
  const ending = /(?:ing|ed)$/.exec(word);
  if (ending && word.length - ending[0].length >= 3) {
    base = word.slice(0, -ending[0].length);
    if (/([b-df-hj-km-np-rt-z])\1$/.test(base)) base = base.slice(0, -1);
  } else if (word.endsWith('ies')) base = `${word.slice(0, -3)}y`;
  else if (/(?:sh|ch|x|ss|z)es$/.test(word)) base = word.slice(0, -2);
  else if (/[^su]s$/.test(word)) base = word.slice(0, -1);
  return base.length > 3 && base.endsWith('e') ? base.slice(0, -1) : base;
}

function words(text: string): string[] {
  const out: string[] = [];
  for (const word of foldText(text.slice(0, MAX_TEXT)).match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (word.length < 2 || NOISE.has(word) || /^\d{1,2}$/.test(word)) continue;
    out.push(stem(word));
  }
  return out;
}

const counts = (terms: string[], weight = 1, into = new Map<string, number>()) => {
  for (const t of terms) into.set(t, (into.get(t) ?? 0) + weight);
  return into;
};

/** Edit distance up to `max` (more is reported as max + 1), for typos like "forticlent". */
function withinEdits(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Uint8Array.from({ length: b.length + 1 }, (_, j) => Math.min(j, 255));
  let current = new Uint8Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = Math.min(i, 255);
    let rowBest = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value;
      if (value < rowBest) rowBest = value;
    }
    if (rowBest > max) return max + 1;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[b.length]!, max + 1);
}

/** Known words by length, so a typo is only compared with words of about its length. */
function byLength(vocabulary: Iterable<string>): Map<number, string[]> {
  const index = new Map<number, string[]>();
  for (const word of vocabulary) {
    const same = index.get(word.length);
    if (same) same.push(word);
    else index.set(word.length, [word]);
  }
  return index;
}

/** A word of the ticket that no past ticket uses is read as the closest one that does, if one is a typo away. */
function spellLike(term: string, known: ReadonlySet<string>, lengths: Map<number, string[]>): string {
  const max = term.length >= 8 ? 2 : term.length >= 5 ? 1 : 0;
  if (max === 0 || known.has(term) || /\d/.test(term)) return term;
  let best = term;
  let bestDistance = max + 1;
  for (let length = term.length - max; length <= term.length + max; length++)
    for (const word of lengths.get(length) ?? []) {
      const distance = withinEdits(term, word, bestDistance - 1);
      if (distance < bestDistance) [best, bestDistance] = [word, distance];
    }
  return best;
}

/** Sublinear term frequency: the tenth "printer" adds less than the second. */
const tfWeight = (tf: number) => (tf > 1 ? 1 + Math.log(tf) : tf);

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [t, w] of a) dot += w * (b.get(t) ?? 0);
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, w) => s + w * w, 0));
  const denominator = norm(a) * norm(b);
  return denominator === 0 ? 0 : dot / denominator;
}

/**
 * The client's past tickets that may help with this one, with how they were solved.
 *
 * The score is the cosine of the two tickets' TF-IDF vectors: 1 when they use the same words in the
 * same proportions, 0 when they share none, independent of how well other tickets match. Words
 * count by how rare they are among the past tickets (smoothed IDF, 1 + ln((n + 1) / (df + 1))), with
 * sublinear term frequency; a past ticket's words are its subject plus, at half weight, how it was
 * solved. Function words and mail politeness of five languages do not count, English word forms are
 * stemmed, and a word of this ticket that no past ticket uses is read as one a typo away.
 *
 * Tickets of `category` come first, from `MIN_SIMILARITY` up; others only when nearly the same
 * (`CROSS_CATEGORY_SIMILARITY`); without a category every ticket needs `MIN_SIMILARITY`. A ticket
 * that was reopened is never offered. `past` is newest first (a ticket listed twice counts once,
 * by its newest record), which also orders equal scores.
 */
export function similarTickets(
  text: string,
  category: Category | undefined,
  past: PastTicket[],
  limit: number,
): SimilarTicket[] {
  const newest = new Map<string, PastTicket>();
  for (const p of past) if (!newest.has(p.ticketId)) newest.set(p.ticketId, p);
  const candidates = [...newest.values()].filter((p) => !p.reopened);
  if (candidates.length === 0 || limit <= 0) return [];

  const docs = candidates.map((p) => counts(words(p.summary), SUMMARY_WEIGHT, counts(words(p.subject))));
  const documentFrequency = new Map<string, number>();
  for (const doc of docs)
    for (const t of doc.keys()) documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
  const idf = (t: string) => 1 + Math.log((docs.length + 1) / ((documentFrequency.get(t) ?? 0) + 1));
  const weigh = (tf: Map<string, number>) => new Map([...tf].map(([t, n]) => [t, tfWeight(n) * idf(t)]));

  const known = new Set(documentFrequency.keys());
  const lengths = byLength(known);
  const spelled = new Map<string, string>();
  const spell = (t: string) => {
    if (known.has(t)) return t;
    let spelling = spelled.get(t);
    if (spelling === undefined && spelled.size < MAX_SPELLED)
      spelled.set(t, (spelling = spellLike(t, known, lengths)));
    return spelling ?? t;
  };
  const query = weigh(counts(words(text).map(spell)));
  if (query.size === 0) return [];

  const hits = candidates.map((p, i) => {
    const sameCategory = category !== undefined && p.category === category;
    return { p, i, sameCategory, score: cosine(query, weigh(docs[i]!)) };
  });
  return hits
    .filter(
      (h) =>
        h.score >= (category === undefined || h.sameCategory ? MIN_SIMILARITY : CROSS_CATEGORY_SIMILARITY),
    )
    .sort((a, b) => Number(b.sameCategory) - Number(a.sameCategory) || b.score - a.score || a.i - b.i)
    .slice(0, limit)
    .map(({ p, score }) => ({
      ticketId: p.ticketId,
      subject: p.subject,
      category: p.category,
      resolution: p.summary,
      score: Math.round(score * 100) / 100,
    }));
}
