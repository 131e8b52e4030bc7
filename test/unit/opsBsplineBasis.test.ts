import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import { bsplineBasis, bsplineBasisComposite } from '../../kernel/convkan/ops/bsplineBasis';
import { evenlySpacedRows } from '../../kernel/convkan/ops/bsplineMath';

/** efficient-kan's grid: h = (hi - lo)/G, knots lo - order·h … hi + order·h, the same for every feature. */
function uniformKnots(F: number, G: number, order: number, lo = -1, hi = 1): number[][] {
  const h = (hi - lo) / G;
  const row = Array.from({ length: G + 2 * order + 1 }, (_, j) => lo + (j - order) * h);
  return Array.from({ length: F }, () => row.map((v) => Math.fround(v)));
}

/** Strictly increasing, unevenly spaced knots, different per feature (as after a grid update). */
function unevenKnots(F: number, K: number, seed: number): number[][] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: F }, () => {
    let v = -2.5 + rnd();
    return Array.from({ length: K }, () => (v += 0.05 + rnd() * 0.6)).map((x) => Math.fround(x));
  });
}

/** Inputs inside and far outside the grid, exactly on every knot, and just beside the knots. */
function probeInputs(knots: number[][], rows: number, seed: number): number[][] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const F = knots.length;
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: F }, (_, f) => {
      const k = knots[f] as number[];
      const lo = k[0] as number;
      const hi = k[k.length - 1] as number;
      switch (r % 5) {
        case 0:
          return k[(r * 7 + f) % k.length] as number; // on a knot, including the first and last
        case 1:
          return Math.fround((k[(r + f) % k.length] as number) + 1e-4);
        case 2:
          return lo - 1 - 3 * rnd(); // left of the grid
        case 3:
          return hi + 3 * rnd(); // right of the grid
        default:
          return lo + (hi - lo) * rnd();
      }
    }),
  );
}

function compare(a: Float32Array, b: Float32Array, what: string, atol: number, rtol: number): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) assert.fail(`${what}[${i}]: composite ${y}, fused ${x}`);
  }
}

interface Case {
  name: string;
  knots: number[][];
  order: number;
  rows: number;
}
const CASES: Case[] = [
  { name: 'uniform grid 5, order 3', knots: uniformKnots(4, 5, 3), order: 3, rows: 40 },
  { name: 'uniform grid 8, order 2, range [-3, 2]', knots: uniformKnots(3, 8, 2, -3, 2), order: 2, rows: 30 },
  { name: 'uniform grid 3, order 1', knots: uniformKnots(2, 3, 1), order: 1, rows: 25 },
  { name: 'uniform grid 4, order 0 (indicators)', knots: uniformKnots(3, 4, 0), order: 0, rows: 25 },
  { name: 'non-uniform knots per feature, order 3', knots: unevenKnots(5, 12, 11), order: 3, rows: 50 },
  { name: 'non-uniform knots, order 4', knots: unevenKnots(2, 14, 5), order: 4, rows: 30 },
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`fused bsplineBasis == composite on ${backend}`, () => {
    before(async () => {
      await initBackend({ env: { CONVKAN_BACKEND: backend } });
    });
    for (const c of CASES) {
      for (const withSilu of [false, true]) {
        test(`${c.name}${withSilu ? ', with SiLU' : ''}: values and input gradients`, () => {
          tf.tidy(() => {
            const knots = tf.tensor2d(c.knots);
            const xs = probeInputs(c.knots, c.rows, 3);
            const x = tf.tensor2d(xs);
            const fused = bsplineBasis(x, knots, c.order, { withSilu, impl: 'fused' });
            const comp = bsplineBasisComposite(x, knots, c.order, withSilu);
            assert.deepEqual(fused.shape, comp.shape);
            compare(fused.dataSync() as Float32Array, comp.dataSync() as Float32Array, 'basis', 2e-6, 2e-5);
            const u = tf.randomUniform(comp.shape, -1, 1, 'float32', 5);
            const gF = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(bsplineBasis(a, knots, c.order, { withSilu, impl: 'fused' }), u)))(x);
            const gC = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(bsplineBasisComposite(a, knots, c.order, withSilu), u)))(x);
            compare(gF.dataSync() as Float32Array, gC.dataSync() as Float32Array, 'dL/dx', 1e-5, 1e-4);
          });
        });
      }
    }
    test('non-finite inputs: NaN bases for order ≥ 1 (as efficient-kan), zeros for order 0', () => {
      tf.tidy(() => {
        for (const order of [0, 1, 3]) {
          const knots = tf.tensor2d(uniformKnots(3, 4, order));
          const x = tf.tensor2d([
            [NaN, Infinity, -Infinity],
            [0.1, NaN, 2],
          ]);
          for (const withSilu of [false, true]) {
            const fused = bsplineBasis(x, knots, order, { withSilu, impl: 'fused' }).dataSync() as Float32Array;
            const comp = bsplineBasisComposite(x, knots, order, withSilu).dataSync() as Float32Array;
            // order 0: efficient-kan's comparisons give 0 for NaN, tfjs' step gives NaN; the fused kernel follows efficient-kan
            if (order > 0) compare(fused, comp, `order ${order}${withSilu ? ' with SiLU' : ''}`, 2e-6, 2e-5);
            const nb = 4 + order;
            const s = nb + (withSilu ? 1 : 0);
            const basesOfFirst = Array.from(fused.slice(withSilu ? 1 : 0, s));
            assert.ok(
              basesOfFirst.every((v) => (order > 0 ? Number.isNaN(v) : v === 0)),
              `order ${order}: bases of NaN are ${basesOfFirst}`,
            );
          }
        }
      });
    });
    test('rank-4 input (NHWC), the layout ConvKAN feeds it, and no leaks', () => {
      const knots = tf.tensor2d(uniformKnots(3, 5, 3));
      const run = () =>
        tf.tidy(() => {
          const x = tf.randomNormal([2, 4, 5, 3], 0, 1.5, 'float32', 9);
          const y = bsplineBasis(x, knots, 3, { withSilu: true });
          assert.deepEqual(y.shape, [2, 4, 5, 27]);
          compare(y.dataSync() as Float32Array, bsplineBasisComposite(x, knots, 3, true).dataSync() as Float32Array, 'basis', 2e-6, 2e-5);
          tf.grad((a: tf.Tensor) => tf.sum(bsplineBasis(a, knots, 3)))(x).dataSync();
        });
      run();
      const before = tf.memory().numTensors;
      run();
      assert.equal(tf.memory().numTensors, before);
      knots.dispose();
    });
  });
}

describe('which knot rows take the closed form', () => {
  test('float32 uniform grids (ours and the PyTorch reference grid) are evenly spaced; perturbed or uneven rows are not', () => {
    const ours = uniformKnots(2, 5, 3).flat();
    // efficient-kan's grid as PyTorch stored it in ../shared/reference/convkan (float32)
    const torch = [
      -2.200000047683716, -1.7999999523162842, -1.399999976158142, -1.0, -0.6000000238418579, -0.19999998807907104, 0.20000004768371582,
      0.6000000238418579, 1.0, 1.4000000953674316, 1.7999999523162842, 2.200000047683716,
    ];
    const nudged = torch.slice();
    nudged[6] = (nudged[6] as number) + 1e-4; // a grid update can move one knot a little
    const rows = [...ours, ...torch, ...nudged, ...unevenKnots(1, 12, 3).flat()];
    assert.deepEqual(evenlySpacedRows(Float32Array.from(rows), 5, 12), [true, true, true, false, false]);
  });
});

describe('bsplineBasis against closed forms', () => {
  test('uniform cubic: the cardinal B-spline values (1, 4, 1)/6 at a knot, partition of unity inside', async () => {
    await initBackend({ env: { CONVKAN_BACKEND: 'cpu' } });
    tf.tidy(() => {
      const knots = tf.tensor2d(uniformKnots(1, 5, 3)); // h = 0.4, knots -2.2 … 2.2
      const y = bsplineBasis(tf.tensor2d([[Math.fround(-0.2)], [0.3], [5]]), knots, 3).arraySync() as number[][];
      const atKnot = y[0] as number[];
      // x = t_5: B_2, B_3, B_4 are non-zero with values 1/6, 4/6, 1/6
      [0, 0, 1 / 6, 4 / 6, 1 / 6, 0, 0, 0].forEach((v, j) =>
        assert.ok(Math.abs((atKnot[j] as number) - v) < 1e-6, `B_${j}(t_5) = ${atKnot[j]}, expected ${v}`),
      );
      assert.ok(Math.abs((y[1] as number[]).reduce((a, b) => a + b, 0) - 1) < 1e-6);
      assert.deepEqual(y[2], [0, 0, 0, 0, 0, 0, 0, 0]);
    });
  });
  test('argument errors name the op, the argument, expected and actual', () => {
    tf.tidy(() => {
      assert.throws(() => bsplineBasis(tf.zeros([2, 3]), tf.zeros([4, 12]) as tf.Tensor2D, 3), {
        message: 'Error in bsplineBasis: last axis of x must equal the number of knot rows F = 4, but got 3 (x shape [2,3]).',
      });
      assert.throws(() => bsplineBasis(tf.zeros([2, 3]), tf.zeros([3, 4]) as tf.Tensor2D, 3), {
        message: 'Error in bsplineBasis: knots per feature must be at least order + 2 = 5, but got 4.',
      });
    });
  });
});
