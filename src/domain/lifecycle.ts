import type { Category } from './categories';
import { stripQuoted } from './quotedHistory';
import { foldText } from './text';

export const HOUR = 60 * 60 * 1000;
export const MINUTE = 60 * 1000;

export type SilencePolicy = 'escalate' | 'close';

/** Per-client knobs of the ticket lifecycle; every field has a default. */
export interface LifecycleSettings {
  /** Time each tier has to record a plan before the ticket goes up a tier. */
  tierLimitMinutes: Record<1 | 2 | 3, number>;
  reminderAfterHours: number;
  /** After the reminder: how long before the silence policy applies. */
  silenceAfterHours: number;
  reopenWindowDays: number;
  onSilence: Partial<Record<Category, SilencePolicy>>;
  maxTier: 2 | 3;
}

/** Access and lockouts escalate when the requester goes quiet (were they really let back in?); guides close. */
export const DEFAULT_SILENCE: Record<Category, SilencePolicy> = {
  password_reset: 'escalate',
  software_access: 'escalate',
  vpn_remote_access: 'close',
  printer_peripheral: 'close',
  software_error: 'close',
  engineering: 'escalate',
};

export const DEFAULT_LIFECYCLE: LifecycleSettings = {
  tierLimitMinutes: { 1: 30, 2: 60, 3: 120 },
  reminderAfterHours: 24,
  silenceAfterHours: 24,
  reopenWindowDays: 7,
  onSilence: {},
  maxTier: 3,
};

export function lifecycleFor(overrides: Partial<LifecycleSettings> | undefined): LifecycleSettings {
  return {
    ...DEFAULT_LIFECYCLE,
    ...overrides,
    tierLimitMinutes: { ...DEFAULT_LIFECYCLE.tierLimitMinutes, ...overrides?.tierLimitMinutes },
  };
}

export function silencePolicy(settings: LifecycleSettings, category: Category): SilencePolicy {
  return settings.onSilence[category] ?? DEFAULT_SILENCE[category];
}

/**
 * Everything that can happen to a ticket from outside, delivered to its orchestration as one event.
 * `source: 'psa'` marks what an engineer did in the PSA (it is not written back there again);
 * `update` (an engineer's customer-facing note) and `waiting` (the PSA status says the engineer
 * waits on the requester, or no longer does) come only from the PSA.
 */
export type TicketEvent =
  | { kind: 'confirmation'; answer: 'yes' | 'no' }
  | { kind: 'reply'; from: string; text: string }
  | { kind: 'plan'; by: string; note: string; publicNote?: string; tier?: number; source?: 'psa' }
  | { kind: 'resolved'; by: string; note: string; publicNote?: string; source?: 'psa' }
  | { kind: 'update'; by: string; text: string }
  | { kind: 'waiting'; waiting: boolean; by: string };

export const TICKET_EVENT = 'ticketEvent';

/**
 * The ticket workflow's sequence of steps, stamped on each instance's input when it starts (an
 * instance replays the steps it began with). 3: `triage` also runs the first playbook of a ticket
 * for automation; 2: a ticket the intake acknowledged is recorded and classified in one activity
 * (`triage`), then `runPlaybook`; 1: `acknowledge`, then `classify`.
 */
export const TICKET_WORKFLOW_VERSION = 3;

export type ReplyMeaning = 'yes' | 'no' | 'unclear';

/**
 * A pattern of whole words or phrases, global for `replace` (read it with `search`, which ignores
 * `lastIndex`). JavaScript's `\b` only knows ASCII letters, so the edges are lookarounds over any
 * letter or digit.
 */
const phrases = (...alternatives: string[]) =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu');

/** Politeness that contains a negation but says nothing about the fix: dropped before reading. */
const NEUTRAL = phrases(
  // English
  'no (?:problems?|worries|rush|hurry)',
  // German
  'kein problem',
  'keine (?:ursache|sorge|eile)',
  'kein stress',
  'nichts zu danken',
  'gern(?:e|e geschehen)?',
  'nicht schlimm',
  // Spanish
  'de nada',
  'no hay (?:de que|problema|prisa)',
  'no pasa nada',
  'sin problema',
  'no (?:te|se) preocupe?s?',
  // French
  'de rien',
  'pas de (?:probleme|souci|soucis|quoi)',
  'pas grave',
  'avec plaisir',
  'pas mal',
  // Dutch
  'geen (?:probleem|dank|zorgen)',
  'graag gedaan',
  'maakt niet uit',
);

/**
 * The requester does not know yet ("I'll try it tomorrow", "weiß nicht"): not a yes, however
 * thankful, and not a no either, though most of these phrases hold a negation.
 */
const UNSURE = phrases(
  // English
  'not (?:sure|certain)',
  "(?:don'?t|do not) know",
  'no idea',
  "(?:have ?n'?t|have not|not) (?:tried|tested)(?: it)?(?: yet)?",
  "(?:i'?ll|i will|will) (?:try|test|check|let you know)",
  // German
  'nicht sicher',
  'weiss (?:es )?nicht',
  'keine ahnung',
  '(?:noch nicht|spater) (?:ge|aus)?(?:testet|probiert|versucht)',
  '(?:teste|probiere|versuche) (?:es |das )?(?:spater|morgen|gleich)',
  // Spanish
  'no (?:estoy|esta) segur[oa]',
  'no (?:lo )?se(?= *(?:si|[.,!?]|$))',
  'ni idea',
  '(?:todavia|aun) no (?:lo )?(?:he|hemos) (?:probado|comprobado)',
  '(?:lo )?(?:probare|pruebo|probamos) (?:mas tarde|manana|luego)',
  // French
  '(?:ne )?(?:sais|suis) pas(?: sure?)?',
  '(?:pas encore|pas) (?:teste|essaye)',
  "(?:je vais|j'vais|je vais le) (?:essayer|tester)",
  // Dutch
  'weet (?:het )?niet(?: zeker)?',
  'niet zeker',
  'geen idee',
  'nog niet (?:getest|geprobeerd)',
  '(?:ik )?(?:probeer|test) (?:het )?(?:later|morgen|straks)',
);

/** "The error is gone" said with a negation: a yes that must not be read as a no. */
const GONE = phrases(
  // English
  'no (?:more|longer) (?:any )?(?:errors?|issues?|problems?|crash(?:es)?)',
  "(?:don'?t|do not|no longer) (?:get|see|have) (?:the|that|this|any) (?:error|issue|problem|message)s?(?: (?:any ?more|now))?",
  '(?:error|issue|problem|message)s? (?:is |are |has |have )?(?:gone|disappeared)',
  // German
  'keine (?:fehler(?:meldung)?|probleme?|meldung)(?:en)? mehr',
  '(?:fehler(?:meldung)?|problem|meldung) (?:ist |sind )?(?:weg|verschwunden|behoben)',
  '(?:fehler(?:meldung)?|problem|meldung)[^.!?\\n]{0,25} nicht mehr(?: auf)?',
  // Spanish
  'ya no (?:me )?(?:sale|aparece|da|tengo|hay)(?: el| la| ese| ningun| mas)? (?:error|problema|fallo|mensaje|aviso)',
  // French
  "(?:n'ai|n'y a|n'a) plus (?:de |d'|le |l'|la |ce |cette |aucun )?(?:probleme|erreur|souci|bug|message)",
  "plus (?:de |d')(?:probleme|erreur|souci)s?",
  // Dutch
  'geen (?:fout(?:melding)?|foutmeldingen|fouten|problemen|probleem|melding) meer',
  '(?:fout(?:melding)?|probleem|melding)[^.!?\\n]{0,25} niet meer',
  '(?:fout(?:melding)?|probleem|melding) (?:is )?(?:weg|verdwenen)',
);

/**
 * The fix did not hold. Bare negations count in German, French and Dutch (nicht, pas, niet) and
 * "no" in English and Spanish: answering "did this resolve it?" with a negation almost always
 * means no, and a wrong no costs an engineer's look while a wrong yes closes a live problem.
 */
const NO = phrases(
  // English
  'no',
  'nope',
  'nah',
  'not (?:yet|working|fixed|resolved|solved|sorted|really)',
  'still',
  "did ?n'?t (?:work|help|fix|solve|resolve|change)",
  'did not (?:work|help|fix|solve|resolve|change)',
  "does ?n'?t work",
  'does not work',
  "is ?n'?t working",
  'is not working',
  '(?:stopped|quit) working',
  'broke',
  'broken',
  "won'?t",
  "can'?t",
  'cannot',
  'same (?:problem|issue|error)',
  'no luck',
  'no change',
  'worse',
  "(?:came|is|it'?s) back(?! to normal)",
  'unfortunately not',
  // German
  'nein',
  'nee',
  'nicht',
  'immer noch',
  'noch immer',
  'nach wie vor',
  '(?:besteht|bestehen) (?:weiterhin|noch)',
  'tritt (?:weiterhin|noch|wieder) auf',
  'kein(?:e|en)? (?:erfolg|verbesserung|anderung|veranderung|verbindung)',
  'ohne erfolg',
  '(?:der |die |das )?(?:gleiche|selbe|dieselbe|derselbe)n? (?:fehler|problem|meldung)',
  'nichts (?:gebracht|geholfen|geandert|getan|verandert)',
  '(?:bringt|hilft) nichts',
  'kaputt',
  // Spanish
  'todavia no',
  'aun no',
  'sigue(?:n)? (?:sin|igual|fallando|dando|con|mal|sin funcionar)',
  '(?:el )?mismo (?:error|problema|fallo)',
  'igual que antes',
  'tampoco',
  'persiste',
  // French
  'non',
  'pas',
  'toujours (?:pas|le meme|la meme|en panne|bloque)',
  '(?:meme|la meme) (?:erreur|probleme|souci)',
  'ne \\w+ plus',
  "n'\\w+ plus",
  "rien (?:ne|n'a)",
  'aucun (?:changement|effet|resultat)',
  'est revenue?',
  // Dutch
  'neen',
  'niet',
  'nog (?:steeds|altijd|niet)',
  'geen (?:verbetering|verandering|succes|resultaat|verbinding)',
  '(?:de|het)? ?zelfde (?:fout(?:melding)?|probleem|melding)',
  'weer (?:kapot|terug|mis)',
);

/** The fix held: gratitude alone counts, as it does in English ("Thanks!"). */
const YES = phrases(
  // English
  'yes',
  'yep',
  'yeah',
  'yup',
  'thanks',
  'thank you',
  'thx',
  'cheers',
  'fixed',
  'working(?: now| again)?',
  'works(?: now| again)?',
  'worked',
  'resolved',
  'solved',
  'sorted',
  'all (?:good|ok|okay|fine|set)',
  'perfect',
  'great',
  'that did it',
  'back to normal',
  // German
  'ja',
  'jawohl',
  'danke(?: ?schon| sehr)?',
  'vielen dank',
  'funktioniert(?: wieder| jetzt)?',
  'geht (?:wieder|jetzt)',
  "(?:jetzt|nun) geht'?s",
  "geht'?s wieder",
  'es geht(?= *(?:[.,!]|$))',
  'klappt(?: wieder| jetzt)?',
  'lauft(?: wieder| jetzt)?',
  'gelost',
  'behoben',
  'erledigt',
  'alles (?:gut|ok|okay|bestens|in ordnung)',
  'perfekt',
  'wieder normal',
  'super',
  'passt',
  // Spanish
  'si(?= *(?:[,.!]|$))',
  'gracias',
  'funciona(?: bien| ya)?',
  'ya funciona',
  'ya va',
  'ha funcionado',
  'resuelto',
  'solucionado',
  'arreglado',
  'perfecto',
  'genial',
  'todo (?:bien|ok|correcto|perfecto)',
  // French
  'oui',
  'ouais',
  'merci',
  '(?:ca|tout) (?:marche|fonctionne|va mieux|remarche)',
  'fonctionne',
  'resolu',
  'regle',
  "c'est bon",
  'tout est (?:bon|ok|en ordre)',
  'parfait',
  'nickel',
  'impeccable',
  // Dutch
  'jazeker',
  'bedankt',
  'dank (?:je|u)(?: wel)?',
  '(?:het )?werkt(?: weer| nu)?',
  'opgelost',
  'verholpen',
  'gelukt',
  'prima',
  'alles (?:is )?(?:ok|goed|in orde)',
);

/**
 * What a requester's reply says about "Did this resolve your issue?", in English, German, Spanish,
 * French or Dutch. Only the new text counts. Politeness that sounds negative ("no problem", "de
 * rien") is dropped, and "the error is gone" counts as a yes; then any sign that the fix did not
 * hold wins, then doubt ("not tried yet") or a lone question, then thanks. A reply with no sign
 * either way ("ok", "hmm", "?") is unclear.
 */
export function interpretReply(text: string): ReplyMeaning {
  let fresh = foldText(stripQuoted(text).slice(0, 2000)).replace(NEUTRAL, ' ');
  const unsure = fresh.search(UNSURE) >= 0;
  fresh = fresh.replace(UNSURE, ' ');
  const gone = fresh.search(GONE) >= 0;
  fresh = fresh.replace(GONE, ' ');
  if (fresh.search(NO) >= 0) return 'no';
  // "Works now?" asks; it does not tell.
  const onlyAQuestion = /^[^.!\n]*\?[\s?]*$/.test(fresh.trim());
  if (unsure || onlyAQuestion) return 'unclear';
  if (gone || fresh.search(YES) >= 0) return 'yes';
  return 'unclear';
}
