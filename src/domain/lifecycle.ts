import type { Category } from './categories';

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

/** Everything that can happen to a ticket from outside, delivered to its orchestration as one event. */
export type TicketEvent =
  | { kind: 'confirmation'; answer: 'yes' | 'no' }
  | { kind: 'reply'; from: string; text: string }
  | { kind: 'plan'; by: string; note: string; publicNote?: string; tier?: number }
  | { kind: 'resolved'; by: string; note: string; publicNote?: string };

export const TICKET_EVENT = 'ticketEvent';

export type ReplyMeaning = 'yes' | 'no' | 'unclear';

const NO =
  /\b(no|nope|not (yet|working|fixed|resolved|sorted)|still|didn'?t (work|help|fix)|doesn'?t work|does not work|isn'?t working|(stopped|quit) working|broke|broken|won'?t|can'?t|cannot|same (problem|issue|error)|no luck|no change|worse|(came|is|it'?s) back(?! to normal))\b/i;
const YES =
  /\b(yes|yep|yeah|thanks|thank you|cheers|fixed|working( now| again)?|works( now)?|resolved|sorted|all good|perfect|great)\b/i;

/** What a requester's reply says about "Did this resolve your issue?". Only the new text counts. */
export function interpretReply(text: string): ReplyMeaning {
  const fresh = stripQuoted(text)
    .slice(0, 2000)
    .replace(/\bno (problem|worries)\b/gi, '');
  if (NO.test(fresh)) return 'no';
  if (YES.test(fresh)) return 'yes';
  return 'unclear';
}

/** Drops quoted history: lines starting with ">" and everything after "On ... wrote:" or an Outlook header. */
export function stripQuoted(text: string): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  for (const line of lines) {
    if (
      /^\s*On .+wrote:\s*$/i.test(line) ||
      /^\s*-{2,}\s*Original Message\s*-{2,}/i.test(line) ||
      /^\s*From:\s.+/i.test(line)
    )
      break;
    if (/^\s*>/.test(line)) continue;
    out.push(line);
  }
  return out.join('\n').trim();
}
