import { z } from 'zod';

import { AUTOMATABLE, CATEGORIES, type Category } from './categories';
import type { Classification } from './classification';
import { maskSecrets } from './secrets';

/**
 * The optional language-model assistant (issue 19), as far as it is pure: what each use sends, what
 * a valid answer is, how a second opinion may change a classification, and what leaves the app.
 * The model answers JSON objects only; anything that fails these schemas is no answer.
 */
export const ANSWER_SCHEMAS = {
  triage: z.object({
    category: z.enum(CATEGORIES),
    confidence: z.number().min(0).max(1),
    reason: z.string().max(500),
  }),
  briefing: z.object({
    summary: z.string().trim().min(1).max(2000),
    steps: z.array(z.string().trim().min(1).max(500)).max(10),
  }),
  reply: z.object({ answer: z.enum(['yes', 'no', 'unclear', 'new_issue']) }),
  kb_draft: z.object({
    title: z.string().trim().min(1).max(200),
    steps: z.array(z.string().trim().min(1).max(1000)).min(1).max(20),
    tags: z.array(z.string().trim().min(1).max(40)).max(10),
  }),
} as const;

export type AssistantUse = keyof typeof ANSWER_SCHEMAS;
export const ASSISTANT_USES = Object.keys(ANSWER_SCHEMAS) as AssistantUse[];
export type AssistantAnswerOf<U extends AssistantUse> = z.infer<(typeof ANSWER_SCHEMAS)[U]>;
export type ReplyAnswer = AssistantAnswerOf<'reply'>['answer'];

/** What each use sends (before redaction). */
export interface AssistantInputs {
  triage: { subject: string; body: string };
  briefing: {
    subject: string;
    body: string;
    reason: string;
    attempted: string | null;
    requesterAnswer: string;
    conversation: { from: string; text: string }[];
  };
  reply: { subject: string; question: string; reply: string };
  kb_draft: { category: Category; tickets: { subject: string; resolution: string }[] };
}

export interface AssistantRequest<U extends AssistantUse> {
  use: U;
  /** Whose budget it is; the prompt carries this client's data only. */
  clientId: string;
  /** Once per (ticket, step, use): a retried activity does not count twice. */
  key: string;
  input: AssistantInputs[U];
  /** Addresses and names that must not leave the app: replaced by placeholders before sending. */
  people?: { addresses?: string[]; names?: string[] };
}

/** Upper bounds of each answer: small objects, so small limits. */
export const MAX_ANSWER_TOKENS: Record<AssistantUse, number> = {
  triage: 150,
  briefing: 600,
  reply: 20,
  kb_draft: 800,
};

const MAX_FIELD = 4000;
const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Makes a text fit to leave the app: typed passwords and codes masked, the requester's and the
 * participants' addresses replaced by numbered placeholders (the same address, the same
 * placeholder), any other address by `<address>`, and known names by `<person>`.
 */
export function redact(text: string, people: AssistantRequest<AssistantUse>['people'] = {}): string {
  const placeholders = new Map<string, string>();
  (people.addresses ?? []).forEach((a, i) =>
    placeholders.set(a.trim().toLowerCase(), i === 0 ? '<requester>' : `<participant-${i}>`),
  );
  let out = maskSecrets(text.slice(0, MAX_FIELD)).text.replace(
    EMAIL,
    (address) => placeholders.get(address.toLowerCase()) ?? '<address>',
  );
  for (const name of people.names ?? []) {
    const trimmed = name.trim();
    if (trimmed.length < 2) continue;
    out = out.replace(new RegExp(`(?<![\\p{L}])${escapeRegExp(trimmed)}(?![\\p{L}])`, 'giu'), '<person>');
    // "Sam Lee" signs off as "Sam" too.
    for (const part of trimmed.split(/\s+/).filter((p) => p.length >= 3))
      out = out.replace(new RegExp(`(?<![\\p{L}])${escapeRegExp(part)}(?![\\p{L}])`, 'giu'), '<person>');
  }
  return out;
}

/** Every string in a value, redacted. */
function redactAll(value: unknown, people: AssistantRequest<AssistantUse>['people']): unknown {
  if (typeof value === 'string') return redact(value, people);
  if (Array.isArray(value)) return value.map((v) => redactAll(v, people));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactAll(v, people)]));
  return value;
}

const INSTRUCTIONS: Record<AssistantUse, string> = {
  triage: `You triage IT support tickets for a managed service provider. Choose exactly one category: ${CATEGORIES.join(', ')}. password_reset covers lockouts and MFA re-registration; software_access covers access, permissions and licences; engineering is everything that needs an engineer's judgment. Answer with a JSON object {"category": string, "confidence": number between 0 and 1, "reason": string of at most one sentence}.`,
  briefing:
    'You brief the engineer who takes over an escalated IT support ticket. Summarise the problem, what automation tried and what the requester said, in at most four sentences, and suggest up to five concrete first steps. Answer with a JSON object {"summary": string, "steps": string[]}.',
  reply:
    'A requester was asked whether the help they were sent resolved their IT issue. Read their reply (any language). Answer with a JSON object {"answer": "yes" | "no" | "unclear" | "new_issue"}: yes if it is fixed, no if it is not, new_issue if they report a different problem, unclear otherwise.',
  kb_draft:
    'You draft a knowledge-base article for tier-1 IT support from tickets engineers resolved. Write a short title, numbered steps a user can follow (no admin-only steps), and a few lower-case tags. Answer with a JSON object {"title": string, "steps": string[], "tags": string[]}.',
};

/** The chat messages for one request: fixed instructions, then the redacted input as JSON. */
export function promptFor<U extends AssistantUse>(
  request: AssistantRequest<U>,
): { role: 'system' | 'user'; content: string }[] {
  return [
    {
      role: 'system',
      content: `${INSTRUCTIONS[request.use]} Placeholders such as <requester>, <person> or [password removed] stand for data withheld on purpose. Reply with the JSON object only.`,
    },
    { role: 'user', content: JSON.stringify(redactAll(request.input, request.people)) },
  ];
}

/** The model's answer, if it is a JSON object of the use's shape; anything else is no answer. */
export function parseAnswer<U extends AssistantUse>(
  use: U,
  content: string | null | undefined,
): AssistantAnswerOf<U> | undefined {
  if (!content) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return undefined;
  }
  const parsed = ANSWER_SCHEMAS[use].safeParse(json);
  return parsed.success ? (parsed.data as AssistantAnswerOf<U>) : undefined;
}

/** The UTC day a use is charged to. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

// ---- second opinion ---------------------------------------------------------------------------

export type DecidedBy = 'rules' | 'model' | 'llm';

/** Which source decided a ticket's classification, and why: kept on the ticket. */
export interface ClassificationRecord {
  decidedBy: DecidedBy;
  reasons: string[];
}

/** What the classifier saw besides its answer: whether a rule decided, and what each source said. */
export interface ClassificationSignals {
  /** The safety screen flagged it: nothing may move it into automation. */
  screened: boolean;
  /** A decisive rule (a locked account, a licensing message) fixed the category. */
  decisive: boolean;
  /** The trained model's own top label, when a model ran. */
  modelLabel?: Category;
  /** The keyword rules' own best category, when any matched. */
  rulesLabel?: Category;
}

export function decidedByOf(signals: ClassificationSignals): Exclude<DecidedBy, 'llm'> {
  return signals.screened || signals.decisive || !signals.modelLabel ? 'rules' : 'model';
}

/**
 * Why a ticket deserves a second opinion, or undefined when it does not: below the client's
 * threshold, or the model and the keyword rules disagree. A ticket the safety screen flagged never
 * does (the screen's answer is final).
 */
export function secondOpinionWanted(
  result: Classification,
  signals: ClassificationSignals,
  threshold: number,
): string | undefined {
  if (signals.screened) return undefined;
  if (result.confidence < threshold)
    return `confidence ${result.confidence.toFixed(2)} below threshold ${threshold}`;
  if (signals.modelLabel && signals.rulesLabel && signals.modelLabel !== signals.rulesLabel)
    return `model (${signals.modelLabel}) and rules (${signals.rulesLabel}) disagree`;
  return undefined;
}

/**
 * A second opinion applied to a classification. The language model may choose the category and,
 * when it is automatable and the answer's confidence reaches the client's threshold, the route; it
 * never touches priority (so it can never lower it), and a ticket the safety screen flagged keeps
 * exactly what the screen decided, whatever the answer says.
 */
export function applySecondOpinion(
  result: Classification,
  signals: ClassificationSignals,
  answer: AssistantAnswerOf<'triage'> | undefined,
  threshold: number,
  why: string,
): { classification: Classification; record: ClassificationRecord } {
  const own = decidedByOf(signals);
  if (signals.screened)
    return {
      classification: result,
      record: { decidedBy: 'rules', reasons: [...result.reasons, 'safety screen: no second opinion'] },
    };
  if (!answer)
    return {
      classification: result,
      record: {
        decidedBy: own,
        reasons: [...result.reasons, `second opinion wanted (${why}): none available`],
      },
    };
  const said = `second opinion: ${answer.category} (${answer.confidence.toFixed(2)})${answer.reason ? `: ${answer.reason.slice(0, 200)}` : ''}`;
  if (answer.confidence < threshold)
    return {
      classification: result,
      record: {
        decidedBy: own,
        reasons: [...result.reasons, `${said}; below threshold ${threshold}, not taken`],
      },
    };
  const automatable = AUTOMATABLE.has(answer.category);
  const reasons = [...result.reasons, `${said}; taken (${why})`];
  return {
    classification: {
      ...result,
      category: answer.category,
      confidence: answer.confidence,
      route: automatable ? 'auto' : 'escalate',
      tier: automatable ? 1 : Math.max(result.tier, 2),
      reasons,
    },
    record: { decidedBy: 'llm', reasons },
  };
}
