// Each basis against its mathematical definition at known points, then the tensor expansion used by
// the layers against the float64 host evaluation used by the plain-JS layer reference.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { chebyshevT } from '../../kernel/convkan/bases/chebyshev';
import { legendreP, legendreValues } from '../../kernel/convkan/bases/legendre';
import { gramP } from '../../kernel/convkan/bases/gram';
import { jacobiP, jacobiValues } from '../../kernel/convkan/bases/jacobi';
import { bernsteinB } from '../../kernel/convkan/bases/bernstein';
import { gbinom } from '../../kernel/convkan/bases/recurrence';
import { rbfBasis } from '../../kernel/convkan/bases/rbf';
import { waveletBasis, motherWavelet, MEXICAN_HAT_SCALE } from '../../kernel/convkan/bases/wavelets';
import { reluKanBasis } from '../../kernel/convkan/bases/reluKan';
import { fixedBsplineBasis } from '../../kernel/convkan/bases/bspline';
import { centres } from '../../kernel/convkan/bases/gridCentres';
import { makeBasis } from '../../kernel/convkan/variants/basis';
import { BASIS_NAMES, type BasisName } from '../../kernel/convkan/variants/basisOptions';

/** f(t) for each t as rows [n_t][d+1], via a tensor function, disposing everything. */
function rows(f: (t: tf.Tensor) => tf.Tensor, ts: number[]): number[][] {
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => f(tf.tensor1d(ts)).arraySync() as number[][]);
  assert.equal(tf.memory().numTensors, before, 'basis function leaked tensors');
  return out;
}

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: got ${a}, expected ${b}`);
}

const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

/** Composite Simpson's rule of samples ys on an odd number of equally spaced points over [a, b]. */
function simpson(ys: number[], a: number, b: number): number {
  const n = ys.length - 1;
  const h = (b - a) / n;
  let s = ys[0] + ys[n];
  for (let i = 1; i < n; i++) s += ys[i] * (i % 2 ? 4 : 2);
  return (s * h) / 3;
}

describe('polynomial families', () => {
  test('Chebyshev: T_n(cos θ) = cos(nθ)', () => {
    const thetas = linspace(0, Math.PI, 13);
    const r = rows((t) => chebyshevT(t, 6), thetas.map(Math.cos));
    thetas.forEach((th, i) => r[i].forEach((v, n) => close(v, Math.cos(n * th), 2e-6, `T_${n}(cos ${th})`)));
  });

  test('Legendre: orthogonal on [−1, 1] with ∫P_n² = 2/(2n + 1), P_n(±1) = (±1)^n', () => {
    const xs = linspace(-1, 1, 2001);
    const r = rows((t) => legendreP(t, 5), xs);
    for (let m = 0; m <= 5; m++) {
      for (let n = 0; n <= 5; n++) {
        const integral = simpson(
          r.map((row) => row[m] * row[n]),
          -1,
          1,
        );
        close(integral, m === n ? 2 / (2 * n + 1) : 0, 1e-5, `∫P_${m}P_${n}`);
      }
    }
    const ends = rows((t) => legendreP(t, 5), [1, -1]);
    ends[0].forEach((v, n) => close(v, 1, 1e-6, `P_${n}(1)`));
    ends[1].forEach((v, n) => close(v, (-1) ** n, 1e-6, `P_${n}(−1)`));
  });

  test('Gram: orthogonal under the sum over their m grid points, and → monic Legendre as m grows', () => {
    const m = 7;
    const grid = Array.from({ length: m }, (_, i) => -1 + (2 * i + 1) / m);
    const r = rows((t) => gramP(t, 4, m), grid);
    for (let a = 0; a <= 4; a++) {
      for (let b = 0; b < a; b++)
        close(
          r.reduce((s, row) => s + row[a] * row[b], 0),
          0,
          1e-5,
          `Σ p_${a} p_${b} on ${m} points`,
        );
      assert.ok(r.reduce((s, row) => s + row[a] * row[a], 0) > 1e-3, `p_${a} is not zero on the grid`);
    }
    const xs = linspace(-0.9, 0.9, 5);
    const big = rows((t) => gramP(t, 4, 1e6), xs);
    const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
    xs.forEach((x, i) =>
      legendreValues(x, 4).forEach((p, n) => close(big[i][n], (p * 2 ** n * fact(n) ** 2) / fact(2 * n), 1e-5, `monic P_${n}(${x})`)),
    );
  });

  test('Jacobi: α = β = 0 is Legendre, P_n(1) = C(n + α, n), orthogonal under (1 − x)^α(1 + x)^β', () => {
    const xs = linspace(-1, 1, 2001);
    const leg = rows((t) => legendreP(t, 4), xs);
    const j00 = rows((t) => jacobiP(t, 4, 0, 0), xs);
    xs.forEach((x, i) => j00[i].forEach((v, n) => close(v, leg[i][n], 1e-5, `P_${n}^(0,0)(${x})`)));
    const [alpha, beta] = [1, 2];
    const r = rows((t) => jacobiP(t, 4, alpha, beta), xs);
    r[xs.length - 1].forEach((v, n) => close(v, gbinom(n + alpha, n), 1e-5, `P_${n}^(1,2)(1)`));
    const w = xs.map((x) => (1 - x) ** alpha * (1 + x) ** beta);
    for (let m = 0; m <= 4; m++)
      for (let n = 0; n < m; n++)
        close(
          simpson(
            r.map((row, i) => w[i] * row[m] * row[n]),
            -1,
            1,
          ),
          0,
          1e-4,
          `∫w P_${m} P_${n}`,
        );
    // the recurrence (tensor) against the explicit sum (host) for a non-integer pair
    const ts = linspace(-0.95, 0.95, 9);
    const rr = rows((t) => jacobiP(t, 5, 0.5, -0.3), ts);
    ts.forEach((t, i) => jacobiValues(t, 5, 0.5, -0.3).forEach((v, n) => close(rr[i][n], v, 1e-5, `P_${n}^(0.5,−0.3)(${t})`)));
  });

  test('Bernstein: partition of unity, b_{k,d}(0) = δ_k0, b_{k,d}(u) = b_{d−k,d}(1 − u)', () => {
    const us = linspace(0, 1, 21);
    const r = rows((u) => bernsteinB(u, 5), us);
    const flipped = rows(
      (u) => bernsteinB(u, 5),
      us.map((u) => 1 - u),
    );
    r.forEach((row, i) => {
      close(
        row.reduce((a, b) => a + b, 0),
        1,
        1e-6,
        `Σ_k b_k(${us[i]})`,
      );
      row.forEach((v, k) => close(v, flipped[i][5 - k], 1e-6, `symmetry k=${k}`));
    });
    assert.deepEqual(r[0], [1, 0, 0, 0, 0, 0]);
  });
});

describe('grid families', () => {
  test('RBF (FastKAN): φ_j(c_j) = 1 and φ_j(c_j ± h) = e^{−1}', () => {
    const { c, h } = centres(8, [-2, 2]);
    const at = rows((x) => tf.squeeze(rbfBasis(tf.expandDims(x, -1), 8, [-2, 2]), [1]), [...c, c[3] + h, c[3] - h]);
    c.forEach((_, j) => close(at[j][j], 1, 1e-6, `φ_${j}(c_${j})`));
    close(at[8][3], Math.exp(-1), 1e-6, 'φ_3(c_3 + h)');
    close(at[9][3], Math.exp(-1), 1e-6, 'φ_3(c_3 − h)');
  });

  test('Mexican hat: ψ(0) = 2/(√3π^¼), ψ(±1) = 0, ∫ψ = 0, ∫ψ² = 1', () => {
    const ts = linspace(-12, 12, 4001);
    // centres at 0 and 1 with spacing 1: column 0 is ψ(x)
    const r = rows((x) => tf.squeeze(waveletBasis(tf.expandDims(x, -1), 'mexicanHat', 2, [0, 1]), [1]), ts).map((row) => row[0]);
    close(r[2000], MEXICAN_HAT_SCALE, 1e-6, 'ψ(0)');
    close(motherWavelet('mexicanHat', 1), 0, 1e-12, 'ψ(1)');
    close(simpson(r, -12, 12), 0, 1e-5, '∫ψ');
    close(
      simpson(
        r.map((v) => v * v),
        -12,
        12,
      ),
      1,
      1e-5,
      '∫ψ²',
    );
  });

  test('Morlet: ψ(t) = cos(5t)e^{−t²/2}: ψ(0) = 1, ψ(π/10) = 0', () => {
    const r = rows((x) => tf.squeeze(waveletBasis(tf.expandDims(x, -1), 'morlet', 2, [0, 1]), [1]), [0, Math.PI / 10, 0.7]).map(
      (row) => row[0],
    );
    close(r[0], 1, 1e-6, 'ψ(0)');
    close(r[1], 0, 1e-6, 'ψ(π/10)');
    close(r[2], Math.cos(3.5) * Math.exp(-0.245), 1e-6, 'ψ(0.7)');
  });

  test('DoG: ψ(t) = −t·e^{−t²/2} is odd, ψ′(0) = −1, minimum −e^{−½} at t = 1, ∫ψ = 0', () => {
    const ts = linspace(-10, 10, 2001);
    const r = rows((x) => tf.squeeze(waveletBasis(tf.expandDims(x, -1), 'dog', 2, [0, 1]), [1]), ts).map((row) => row[0]);
    r.forEach((v, i) => close(v, -r[2000 - i], 1e-6, `odd at ${ts[i]}`));
    close((r[1001] - r[999]) / (ts[1001] - ts[999]), -1, 1e-3, 'ψ′(0)');
    const min = Math.min(...r);
    close(min, -Math.exp(-0.5), 1e-6, 'min ψ');
    close(ts[r.indexOf(min)], 1, 1e-9, 'argmin ψ');
    close(simpson(r, -10, 10), 0, 1e-6, '∫ψ');
  });

  test('ReLU-KAN: G + k bumps, each 1 at the middle of its support (s_i, e_i) and 0 outside', () => {
    const G = 4;
    const k = 2;
    const h = 2 / G; // range [−1, 1]
    const mids = Array.from({ length: G + k }, (_, i) => -1 + (i - k) * h + ((k + 1) * h) / 2);
    const r = rows((x) => tf.squeeze(reluKanBasis(tf.expandDims(x, -1), G, k, [-1, 1]), [1]), mids);
    assert.equal(r[0].length, G + k);
    mids.forEach((_, i) => close(r[i][i], 1, 1e-5, `R_${i}(mid)`));
    // support of R_0 is (−1 − k·h, −1 + h): zero at and beyond its right end
    const out = rows((x) => tf.squeeze(reluKanBasis(tf.expandDims(x, -1), G, k, [-1, 1]), [1]), [-1 + h, 0.9]);
    assert.equal(out[0][0], 0);
    assert.equal(out[1][0], 0);
  });

  test('fixed-grid B-splines: partition of unity inside the grid range', () => {
    const xs = linspace(-0.999, 0.999, 17);
    const r = rows((x) => tf.squeeze(fixedBsplineBasis(tf.expandDims(x, -1), 5, 3, [-1, 1]), [1]), xs);
    r.forEach((row, i) => {
      assert.equal(row.length, 8);
      close(
        row.reduce((a, b) => a + b, 0),
        1,
        1e-5,
        `Σ B_j(${xs[i]})`,
      );
      assert.ok(row.every((v) => v >= -1e-7));
    });
  });
});

describe('makeBasis', () => {
  const sizes: Record<BasisName, number> = {
    bspline: 8,
    rbf: 8,
    chebyshev: 4,
    legendre: 4,
    gram: 4,
    jacobi: 4,
    bernstein: 4,
    mexicanHat: 5,
    morlet: 5,
    dog: 5,
    reluKan: 8,
  };

  test('every basis: expand lays out [..., F·K] and matches the float64 host evaluation', () => {
    for (const name of BASIS_NAMES) {
      const basis = makeBasis({ basis: name });
      assert.equal(basis.size, sizes[name], `${name} size`);
      const xs = [-3, -1.2, -0.5, -0.01, 0, 0.3, 0.77, 1.5, 2.5, 0.999];
      const before = tf.memory().numTensors;
      const got = tf.tidy(() => basis.expand(tf.tensor2d(xs, [5, 2])).arraySync() as number[][]);
      assert.equal(tf.memory().numTensors, before, `${name} leaked`);
      assert.deepEqual([got.length, got[0].length], [5, 2 * basis.size]);
      xs.forEach((x, i) => {
        const want = basis.evaluate(x);
        const row = got[Math.floor(i / 2)];
        want.forEach((v, k) => close(row[(i % 2) * basis.size + k], v, 2e-5, `${name} φ_${k}(${x})`));
      });
    }
  });

  test('bad settings name the basis argument, what it must be and what it got', () => {
    assert.throws(
      () => makeBasis({ basis: 'spline' as BasisName }, 'KACNConv2D'),
      /KACNConv2D: basis must be one of 'bspline'.*but got "spline"/,
    );
    assert.throws(() => makeBasis({ basis: 'chebyshev', degree: -1 }), /degree must be a non-negative integer, but got -1/);
    assert.throws(() => makeBasis({ basis: 'rbf', gridSize: 1 }), /gridSize must be an integer ≥ 2, but got 1/);
    assert.throws(() => makeBasis({ basis: 'jacobi', alpha: -1 }), /alpha and beta must be greater than −1/);
    assert.throws(() => makeBasis({ basis: 'gram', degree: 3, gramPoints: 3 }), /gramPoints must be an integer > degree \(3\), but got 3/);
    assert.throws(() => makeBasis({ basis: 'rbf', gridRange: [1, 1] }), /gridRange must be \[lo, hi\] with lo < hi, but got \[1,1\]/);
  });
});
