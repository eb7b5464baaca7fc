import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type SparseRows, trainBinarySvm } from '../../../../src/domain/model/linearSvm';
import { seededRandom } from '../../../../src/domain/model/textClassifier';

/** Rows from dense vectors (zeros left out). */
function rows(dense: number[][]): SparseRows {
  const rowStart = new Int32Array(dense.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  dense.forEach((row, i) => {
    row.forEach((v, j) => {
      if (v === 0) return;
      indices.push(j);
      values.push(v);
    });
    rowStart[i + 1] = indices.length;
  });
  return {
    rowStart,
    indices: Uint32Array.from(indices),
    values: Float32Array.from(values),
    dims: dense[0]?.length ?? 0,
  };
}

describe('trainBinarySvm (dual coordinate descent, squared hinge)', () => {
  it('separates two clouds and puts the boundary between them', () => {
    const random = seededRandom(1);
    const dense: number[][] = [];
    const positive: number[] = [];
    for (let i = 0; i < 200; i++) {
      const side = i % 2 === 0 ? 1 : -1;
      dense.push([side * 2 + random() - 0.5, random() - 0.5, 0]);
      positive.push(side > 0 ? 1 : 0);
    }
    const { w, b } = trainBinarySvm(rows(dense), Uint8Array.from(positive), {
      C: 1,
      random: seededRandom(2),
    });
    const right = dense.filter((x, i) => (w[0]! * x[0]! + w[1]! * x[1]! + b > 0 ? 1 : 0) === positive[i]);
    assert.equal(right.length, dense.length);
    assert.ok(Math.abs(w[0]!) > 5 * Math.abs(w[1]!), 'the first feature decides');
    assert.equal(w[2], 0, 'a feature no row has stays at zero');
  });

  it('matches the closed-form solution of a one-feature problem', () => {
    // x = +1 (positive) and x = -1 (negative), bias feature 1, C large: the hard-margin solution is
    // w = 1, b = 0; the squared hinge with C = 1000 lands within 0.01 of it.
    const { w, b } = trainBinarySvm(rows([[1], [-1]]), Uint8Array.from([1, 0]), {
      C: 1000,
      maxIterations: 1000,
      tolerance: 1e-6,
      random: seededRandom(3),
    });
    assert.ok(Math.abs(w[0]! - 1) < 0.01, `w ${w[0]}`);
    assert.ok(Math.abs(b) < 0.01, `b ${b}`);
  });

  it('gives an example with more weight more say', () => {
    // Two identical points with opposite labels: the heavier one wins the sign.
    const data = rows([[1], [1]]);
    const heavier = (weights: number[]) =>
      trainBinarySvm(data, Uint8Array.from([1, 0]), {
        C: 1,
        weights: Float64Array.from(weights),
        random: seededRandom(4),
      });
    const a = heavier([4, 1]);
    const b = heavier([1, 4]);
    assert.ok(a.w[0]! + a.b > 0);
    assert.ok(b.w[0]! + b.b < 0);
  });
});
