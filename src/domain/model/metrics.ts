import { seededRandom } from './textClassifier';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function evaluatePredictions(
  truth: string[],
  predicted: string[],
): { accuracy: number; macroF1: number; perClass: Record<string, ClassMetrics> } {
  const labels = [...new Set(truth)].sort();
  const perClass: Record<string, ClassMetrics> = {};
  let correct = 0;
  truth.forEach((t, i) => (correct += t === predicted[i] ? 1 : 0));
  for (const label of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (p === label && t === label) tp++;
      else if (p === label) fp++;
      else if (t === label) fn++;
    });
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    perClass[label] = {
      precision: round(precision),
      recall: round(recall),
      f1: round(precision + recall ? (2 * precision * recall) / (precision + recall) : 0),
      support: tp + fn,
    };
  }
  const macroF1 = labels.reduce((s, l) => s + (perClass[l]?.f1 ?? 0), 0) / (labels.length || 1);
  return { accuracy: round(truth.length ? correct / truth.length : 0), macroF1: round(macroF1), perClass };
}

/**
 * The rows grouped by label, each group shuffled; groups (and the random stream) in the order
 * `order` gives the labels, first-seen order by default.
 */
function shuffledGroups<T>(
  rows: T[],
  labelOf: (row: T) => string,
  seed: number,
  order: (labels: string[]) => string[] = (labels) => labels,
): T[][] {
  const random = seededRandom(seed);
  const byLabel = new Map<string, T[]>();
  for (const r of rows) {
    const group = byLabel.get(labelOf(r));
    if (group) group.push(r);
    else byLabel.set(labelOf(r), [r]);
  }
  return order([...byLabel.keys()]).map((label) => {
    const shuffled = [...(byLabel.get(label) ?? [])];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] as T, shuffled[i] as T];
    }
    return shuffled;
  });
}

/** Per-label split, so every label keeps its share in the test set. */
export function stratifiedSplit<T>(
  rows: T[],
  labelOf: (row: T) => string,
  testFraction: number,
  seed: number,
): { train: T[]; test: T[] } {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error('--test-fraction must be between 0 and 1');
  const train: T[] = [];
  const test: T[] = [];
  for (const shuffled of shuffledGroups(rows, labelOf, seed)) {
    const n = shuffled.length > 1 ? Math.max(1, Math.round(shuffled.length * testFraction)) : 0;
    test.push(...shuffled.slice(0, n));
    train.push(...shuffled.slice(n));
  }
  return { train, test };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** K folds, each label shuffled and dealt round-robin, so every fold keeps each label's share. */
export function stratifiedFolds<T>(rows: T[], labelOf: (row: T) => string, k: number, seed: number): T[][] {
  if (!(Number.isInteger(k) && k >= 2)) throw new Error('folds must be a whole number of at least 2');
  const folds: T[][] = Array.from({ length: k }, () => []);
  let next = 0;
  // Continue the deal where the last label stopped, so small labels do not all start in fold 0.
  for (const shuffled of shuffledGroups(rows, labelOf, seed, (labels) => [...labels].sort()))
    for (const r of shuffled) folds[next++ % k]?.push(r);
  return folds;
}
