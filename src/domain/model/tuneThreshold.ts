import { type CategoryModel, classifyTicket } from '../classification';

export interface ThresholdChoice {
  /** The lowest confidence at which automation reaches the target precision. */
  threshold: number;
  /** Of the tickets automation would take at that threshold, the share it classifies correctly. */
  precision: number;
  /** The share of all tickets automation would take. */
  coverage: number;
  automated: number;
  n: number;
  /** Tickets labelled engineering (never for automation) that it would still take. */
  engineeringAutomated: number;
  met: boolean;
}

/**
 * Tunes a client's automation threshold for precision on its own labelled history: the full
 * classifier (safety screen, model, rules) runs on every ticket, and the lowest threshold whose
 * automated share is at least `targetPrecision` correct wins, so automation covers as much as it
 * can while staying that precise. `minAutomated` keeps a handful of lucky tickets from deciding.
 * When no threshold meets the target, the strictest one is returned with `met: false`.
 */
export function tuneThreshold(
  rows: { text: string; label: string }[],
  model: CategoryModel | undefined,
  targetPrecision: number,
  minAutomated = 20,
): ThresholdChoice {
  const scored = rows
    .map((r) => {
      const c = classifyTicket(r.text, '', 0, model);
      return {
        eligible: c.route === 'auto',
        confidence: c.confidence,
        correct: c.category === r.label,
        label: r.label,
      };
    })
    .filter((s) => s.eligible)
    .sort((a, b) => b.confidence - a.confidence);
  const n = rows.length;
  let best: ThresholdChoice | undefined;
  let strictest: ThresholdChoice | undefined;
  let correct = 0;
  let engineering = 0;
  for (let i = 0; i < scored.length; i++) {
    const s = scored[i]!;
    if (s.correct) correct++;
    if (s.label === 'engineering') engineering++;
    // Only cut between distinct confidences: every ticket at the threshold is automated.
    if (i + 1 < scored.length && scored[i + 1]!.confidence === s.confidence) continue;
    const automated = i + 1;
    const precision = correct / automated;
    const choice = {
      threshold: Math.round(s.confidence * 10_000) / 10_000,
      precision: Math.round(precision * 10_000) / 10_000,
      coverage: Math.round((automated / n) * 10_000) / 10_000,
      automated,
      n,
      engineeringAutomated: engineering,
      met: precision >= targetPrecision && automated >= minAutomated,
    };
    strictest ??= choice;
    if (choice.met) best = choice;
  }
  return (
    best ??
    strictest ?? {
      threshold: 1,
      precision: 0,
      coverage: 0,
      automated: 0,
      n,
      engineeringAutomated: 0,
      met: false,
    }
  );
}

/** Below this, a threshold lets through guesses that are as likely wrong as right. */
export const LOWEST_UNFORCED_THRESHOLD = 0.5;

/**
 * Whether a tuned threshold may replace a client's live one: lowering it below 0.5 takes
 * `force`, since a history with few or easy tickets can make a low threshold look precise.
 */
export function thresholdChange(
  clientId: string,
  current: number,
  tuned: number,
  force: boolean,
): { save: boolean; message: string } {
  const change = `client ${clientId}: automation threshold ${current} -> ${tuned}`;
  if (tuned < LOWEST_UNFORCED_THRESHOLD && tuned < current && !force)
    return {
      save: false,
      message: `${change} not saved: that lowers it below ${LOWEST_UNFORCED_THRESHOLD}; pass --force to save it anyway`,
    };
  return { save: true, message: change };
}
