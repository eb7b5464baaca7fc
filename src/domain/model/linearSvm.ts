/**
 * L2-regularised L2-loss (squared hinge) linear SVM, solved in the dual by coordinate descent
 * (Hsieh, Chang, Lin, Keerthi and Sundararajan, "A dual coordinate descent method for large-scale
 * linear SVM", ICML 2008: LIBLINEAR's default solver, which scikit-learn's LinearSVC calls).
 * One pass updates one dual variable per example in random order and keeps w = sum(alpha_i y_i x_i)
 * in step, so each step costs two sparse dot products; it stops when the projected gradient's
 * spread falls under `tolerance` or after `maxIterations` passes.
 *
 * The bias is an extra feature of constant value 1, regularised like the rest, as in LIBLINEAR.
 */

/** Rows of a sparse matrix: row i is indices/values[rowStart[i] .. rowStart[i + 1]). */
export interface SparseRows {
  rowStart: Int32Array;
  indices: Uint32Array;
  values: Float32Array;
  dims: number;
}

export interface BinarySvmOptions {
  /** Misclassification cost (LIBLINEAR's -c). */
  C: number;
  /** Per-example multiplier of C (class weights); 1 when absent. */
  weights?: Float64Array;
  maxIterations?: number;
  tolerance?: number;
  random: () => number;
}

/** Trains w and b so that sign(w.x + b) predicts `positive[i]`. */
export function trainBinarySvm(
  rows: SparseRows,
  positive: Uint8Array,
  options: BinarySvmOptions,
): { w: Float64Array; b: number } {
  const { rowStart, indices, values } = rows;
  const n = rowStart.length - 1;
  const w = new Float64Array(rows.dims);
  let b = 0;
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const squaredNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1; // the bias feature
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) s += values[p]! * values[p]!;
    squaredNorm[i] = s;
    diag[i] = 0.5 / (options.C * (options.weights?.[i] ?? 1));
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const maxIterations = options.maxIterations ?? 30;
  const tolerance = options.tolerance ?? 0.1;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(options.random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let maxGradient = -Infinity;
    let minGradient = Infinity;
    for (let k = 0; k < n; k++) {
      // Hot loop: indices are in range by construction, so no fallbacks.
      const i = order[k]!;
      const y = positive[i] ? 1 : -1;
      const start = rowStart[i]!;
      const end = rowStart[i + 1]!;
      let score = b;
      for (let p = start; p < end; p++) score += w[indices[p]!]! * values[p]!;
      const a = alpha[i]!;
      const d = diag[i]!;
      const gradient = y * score - 1 + d * a;
      const projected = a === 0 ? Math.min(gradient, 0) : gradient;
      if (projected > maxGradient) maxGradient = projected;
      if (projected < minGradient) minGradient = projected;
      if (projected === 0) continue;
      const next = Math.max(a - gradient / (squaredNorm[i]! + d), 0);
      alpha[i] = next;
      const step = (next - a) * y;
      if (step === 0) continue;
      for (let p = start; p < end; p++) {
        const j = indices[p]!;
        w[j] = w[j]! + step * values[p]!;
      }
      b += step;
    }
    if (maxGradient - minGradient <= tolerance) break;
  }
  return { w, b };
}
