// The least-squares solver against solutions known in closed form: exact, over- and
// underdetermined systems, rank-deficient ones (minimum norm), batches, and the tensor front end.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { lstsqBatched, pivotedQr } from '../../kernel/convkan/linalg/householderLstsq';
import { lstsq } from '../../kernel/convkan/linalg/lstsq';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: got ${a[i]}, want ${b[i]}`);
};

/** A deterministic pseudo-random matrix (LCG) so the tests need no seed plumbing. */
function matrix(rows: number, cols: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: rows * cols }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

function matmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let l = 0; l < k; l++) c[i * n + j] += a[i * k + l] * b[l * n + j];
  return c;
}

describe('lstsqBatched', () => {
  test('square, full rank: the exact solution', () => {
    const A = [2, 1, 0, 1, 3, 1, 0, 1, 4];
    const X = [1, -2, 0.5, 3, 2, -1];
    const B = matmul(A, X, 3, 3, 2);
    const { solution, rank } = lstsqBatched(A, B, 1, 3, 3, 2);
    close(solution, X, 1e-12, 'x');
    assert.equal(rank[0], 3);
  });

  test('overdetermined and consistent: recovers the generating coefficients', () => {
    const A = matrix(40, 6, 7);
    const X = matrix(6, 3, 11);
    const { solution, rank } = lstsqBatched(A, matmul(A, X, 40, 6, 3), 1, 40, 6, 3);
    close(solution, X, 1e-10, 'x');
    assert.equal(rank[0], 6);
  });

  test('overdetermined line fit: the known regression line of 4 points', () => {
    // y ≈ a + b·t for t = 0..3, y = [1, 3, 2, 5]: a = 1.1, b = 1.1 (normal equations by hand).
    const A = [1, 0, 1, 1, 1, 2, 1, 3];
    const { solution } = lstsqBatched(A, [1, 3, 2, 5], 1, 4, 2, 1);
    close(solution, [1.1, 1.1], 1e-12, 'x');
  });

  test('residual is orthogonal to the columns (normal equations hold) for an inconsistent system', () => {
    const A = matrix(30, 5, 3);
    const B = matrix(30, 2, 5);
    const { solution } = lstsqBatched(A, B, 1, 30, 5, 2);
    const R = matmul(A, solution, 30, 5, 2).map((v, i) => B[i] - v);
    for (let j = 0; j < 5; j++)
      for (let c = 0; c < 2; c++) {
        let dot = 0;
        for (let i = 0; i < 30; i++) dot += A[i * 5 + j] * R[i * 2 + c];
        assert.ok(Math.abs(dot) < 1e-12, `Aᵀr[${j},${c}] = ${dot}`);
      }
  });

  test('underdetermined: the minimum-norm solution Aᵀ(AAᵀ)⁻¹b', () => {
    // x1 + x2 = 2 → min-norm x = (1, 1); with a third unknown: x1 + x2 + x3 = 3 → (1, 1, 1).
    close(lstsqBatched([1, 1], [2], 1, 1, 2, 1).solution, [1, 1], 1e-12, 'x');
    close(lstsqBatched([1, 1, 1], [3], 1, 1, 3, 1).solution, [1, 1, 1], 1e-12, 'x');
    const r = lstsqBatched([1, 0, 1, 0, 1, 1], [1, 2], 1, 2, 3, 1); // x1 + x3 = 1, x2 + x3 = 2
    // (AAᵀ)⁻¹ = [[2,1],[1,2]]⁻¹ = [[2,-1],[-1,2]]/3 → λ = (0, 1) → x = Aᵀλ = (0, 1, 1).
    close(r.solution, [0, 1, 1], 1e-12, 'x');
    assert.equal(r.rank[0], 2);
  });

  test('rank deficient (duplicate column): rank 1 and the minimum-norm split', () => {
    // Columns equal: any x1 + x2 = c solves; minimum norm splits evenly. y = 2·t.
    const A = [1, 1, 2, 2, 3, 3];
    const r = lstsqBatched(A, [2, 4, 6], 1, 3, 2, 1);
    assert.equal(r.rank[0], 1);
    close(r.solution, [1, 1], 1e-12, 'x');
  });

  test('zero matrix: rank 0, zero solution', () => {
    const r = lstsqBatched([0, 0, 0, 0], [1, 2], 1, 2, 2, 1);
    assert.equal(r.rank[0], 0);
    close(r.solution, [0, 0], 0, 'x');
  });

  test('rcond decides the numerical rank', () => {
    const A = [1, 0, 0, 1e-9];
    assert.equal(lstsqBatched(A, [1, 1], 1, 2, 2, 1).rank[0], 1, 'below float32 eps·max(m,n) by default');
    assert.equal(lstsqBatched(A, [1, 1], 1, 2, 2, 1, { rcond: 1e-12 }).rank[0], 2, 'kept with a smaller rcond');
  });

  test('a batch solves each system independently', () => {
    const A = [1, 0, 0, 1, /* second */ 2, 0, 0, 4];
    const B = [3, 4, /* second */ 2, 8];
    const r = lstsqBatched(A, B, 2, 2, 2, 1);
    close(r.solution, [3, 4, 1, 2], 1e-12, 'x');
  });

  test('pivoted QR reproduces A·P = Q·R (|R| diagonal non-increasing)', () => {
    const m = 7;
    const n = 4;
    const A = matrix(m, n, 21);
    const QR = Float64Array.from(A);
    const tau = new Float64Array(n);
    const perm = pivotedQr(QR, m, n, tau);
    const diag = Array.from({ length: n }, (_, j) => Math.abs(QR[j * n + j]));
    for (let j = 1; j < n; j++) assert.ok(diag[j] <= diag[j - 1] + 1e-12, `|R| diagonal ${diag}`);
    // Rebuild Q·R column by column by applying the reflectors to R's columns in reverse order.
    for (let c = 0; c < n; c++) {
      const v = new Float64Array(m);
      for (let i = 0; i <= c; i++) v[i] = QR[i * n + c];
      for (let j = n - 1; j >= 0; j--) {
        let w = v[j];
        for (let i = j + 1; i < m; i++) w += QR[i * n + j] * v[i];
        w *= tau[j];
        v[j] -= w;
        for (let i = j + 1; i < m; i++) v[i] -= w * QR[i * n + j];
      }
      for (let i = 0; i < m; i++) assert.ok(Math.abs(v[i] - A[i * n + perm[c]]) < 1e-12, `(QR)[${i},${c}] vs A[${i},${perm[c]}]`);
    }
  });

  test('wrong buffer sizes are refused with the expected and actual sizes', () => {
    assert.throws(() => lstsqBatched([1, 2, 3], [1], 1, 2, 2, 1), /A must hold batch·m·n = 4 numbers, but got 3/);
  });
});

describe('lstsq (tensors)', () => {
  test('rank 2 and rank 3 inputs, float32 out, no leaked tensors', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = lstsq(tf.tensor2d([1, 0, 1, 1, 1, 2, 1, 3], [4, 2]), tf.tensor2d([1, 3, 2, 5], [4, 1]));
      assert.deepEqual(x.shape, [2, 1]);
      close(x.dataSync(), [1.1, 1.1], 1e-6, 'x');
      const xb = lstsq(tf.tensor3d([1, 0, 0, 1, 2, 0, 0, 4], [2, 2, 2]), tf.tensor3d([3, 4, 2, 8], [2, 2, 1]));
      assert.deepEqual(xb.shape, [2, 2, 1]);
      close(xb.dataSync(), [3, 4, 1, 2], 1e-6, 'x');
    });
    assert.equal(tf.memory().numTensors, before);
  });

  test('mismatched shapes name both shapes', () => {
    tf.tidy(() => {
      assert.throws(
        () => lstsq(tf.zeros([3, 2]) as tf.Tensor2D, tf.zeros([4, 1]) as tf.Tensor2D),
        /b must be \[3, r\] to match a \[3,2\], but got \[4,1\]/,
      );
    });
  });
});
