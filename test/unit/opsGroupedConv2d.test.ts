import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import { groupedConv2d, type GroupedConv2dOptions } from '../../kernel/convkan/ops/groupedConv2d';
import { randomArray } from './convCases';

interface Case {
  name: string;
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  opts: GroupedConv2dOptions;
}
const CASES: Case[] = [
  { name: '3×3', x: [2, 6, 7, 3], k: [3, 3], cout: 4, opts: { strides: [1, 1], dilations: [1, 1], groups: 1 } },
  {
    name: 'stride 2×3, uneven rows left over',
    x: [2, 8, 9, 2],
    k: [3, 2],
    cout: 3,
    opts: { strides: [2, 3], dilations: [1, 1], groups: 1 },
  },
  { name: 'dilation 2×1', x: [1, 9, 7, 2], k: [3, 3], cout: 2, opts: { strides: [1, 1], dilations: [2, 1], groups: 1 } },
  { name: 'groups 3', x: [2, 5, 5, 6], k: [3, 3], cout: 9, opts: { strides: [1, 1], dilations: [1, 1], groups: 3 } },
  { name: 'groups 2, stride 2', x: [1, 9, 10, 4], k: [2, 3], cout: 4, opts: { strides: [2, 2], dilations: [1, 1], groups: 2 } },
  {
    name: 'stride 2×1 with dilation 1×2 (filter gradient tap by tap)',
    x: [2, 9, 11, 3],
    k: [3, 3],
    cout: 2,
    opts: { strides: [2, 1], dilations: [1, 2], groups: 1 },
  },
  {
    name: 'stride 2 with dilation 2, groups 2',
    x: [1, 12, 11, 4],
    k: [2, 3],
    cout: 4,
    opts: { strides: [2, 2], dilations: [2, 2], groups: 2 },
  },
  { name: 'groups 2, dilation 2', x: [2, 8, 8, 4], k: [2, 2], cout: 2, opts: { strides: [1, 1], dilations: [2, 2], groups: 2 } },
  // out-channels per group a multiple of 8: on wasm the filter gradient runs the SIMD kernel (conv2dFilterGradWasm.ts)
  {
    name: 'wasm filter kernel: odd sizes, 5 in',
    x: [3, 7, 9, 5],
    k: [3, 2],
    cout: 8,
    opts: { strides: [1, 1], dilations: [1, 1], groups: 1 },
  },
  {
    name: 'wasm filter kernel: stride 2×3, dilation 2×1',
    x: [2, 11, 13, 6],
    k: [3, 3],
    cout: 16,
    opts: { strides: [2, 3], dilations: [2, 1], groups: 1 },
  },
  {
    name: 'wasm filter kernel: groups 3, dilation 2',
    x: [2, 9, 8, 9],
    k: [2, 3],
    cout: 24,
    opts: { strides: [1, 1], dilations: [2, 2], groups: 3 },
  },
];

/** Random values from a fixed seed, as plain arrays (so that they can cross backends). */
/** Independent reference built from tf's own conv2d and its own gradients: per-group split, and a
 * dilated kernel written out with zeros so that tf.conv2d's gradient (dilation 1 only) applies. */
function referenceConv(x: tf.Tensor4D, f: tf.Tensor4D, o: GroupedConv2dOptions): tf.Tensor4D {
  const [kH, kW, ci, co] = f.shape;
  const [dH, dW] = o.dilations;
  let fd: tf.Tensor4D = f;
  if (dH > 1 || dW > 1) {
    const six = tf.reshape(f, [kH, 1, kW, 1, ci, co]);
    const padded = tf.pad(six, [
      [0, 0],
      [0, dH - 1],
      [0, 0],
      [0, dW - 1],
      [0, 0],
      [0, 0],
    ]);
    fd = tf.slice(
      tf.reshape(padded, [kH * dH, kW * dW, ci, co]),
      [0, 0, 0, 0],
      [(kH - 1) * dH + 1, (kW - 1) * dW + 1, ci, co],
    ) as tf.Tensor4D;
  }
  const conv = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, o.strides, 'valid', 'NHWC', 1);
  if (o.groups === 1) return conv(x, fd);
  const xs = tf.split(x, o.groups, 3) as tf.Tensor4D[];
  const fs = tf.split(fd, o.groups, 3) as tf.Tensor4D[];
  return tf.concat(
    xs.map((a, g) => conv(a, fs[g] as tf.Tensor4D)),
    3,
  ) as tf.Tensor4D;
}

interface Result {
  y: Float32Array;
  dx: Float32Array;
  df: Float32Array;
}

function run(c: Case, impl: 'mine' | 'reference'): Result {
  return tf.tidy(() => {
    const fShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3] / c.opts.groups, c.cout];
    const x = tf.tensor4d(
      randomArray(
        c.x.reduce((a, b) => a * b),
        1,
      ),
      c.x,
    );
    const f = tf.tensor4d(
      randomArray(
        fShape.reduce((a, b) => a * b),
        2,
      ),
      fShape,
    );
    const op = (a: tf.Tensor, b: tf.Tensor) =>
      impl === 'mine'
        ? groupedConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.opts)
        : referenceConv(a as tf.Tensor4D, b as tf.Tensor4D, c.opts);
    const y = op(x, f);
    const u = tf.tensor(randomArray(y.size, 3), y.shape); // upstream gradient: loss = Σ y·u
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a, b), u)))([x, f]);
    return { y: y.dataSync() as Float32Array, dx: dx!.dataSync() as Float32Array, df: df!.dataSync() as Float32Array };
  });
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string, tol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!(Math.abs(a - e) <= tol + tol * Math.abs(e))) assert.fail(`${what}[${i}]: expected ${e}, got ${a}`);
  }
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`groupedConv2d on ${backend}`, () => {
    before(async () => {
      await initBackend({ env: { CONVKAN_BACKEND: backend } });
    });
    for (const c of CASES) {
      test(`${c.name}: value and gradients match tf's own conv2d gradients on cpu`, async () => {
        const mine = run(c, 'mine');
        await tf.setBackend('cpu');
        const ref = run(c, 'reference');
        await tf.setBackend(backend);
        assertClose(mine.y, ref.y, 'y');
        assertClose(mine.dx, ref.dx, 'dL/dx');
        assertClose(mine.df, ref.df, 'dL/dfilter');
      });
    }
    test('no tensors leak through forward + backward', () => {
      const c = CASES[4] as Case;
      run(c, 'mine'); // burn-in
      const before = tf.memory().numTensors;
      run(c, 'mine');
      assert.equal(tf.memory().numTensors, before);
    });
  });
}

describe('groupedConv2d numerically', () => {
  test('filter and input gradients equal central differences (float64 sums of float32 convs)', async () => {
    await initBackend({ env: { CONVKAN_BACKEND: 'cpu' } });
    const c = CASES[7] as Case; // groups and dilation together: no tf gradient exists for it
    const fShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3] / c.opts.groups, c.cout];
    const analytic = run(c, 'mine'); // same seeds 1, 2, 3 as `run` uses
    const x0 = randomArray(
      c.x.reduce((a, b) => a * b),
      1,
    );
    const f0 = randomArray(
      fShape.reduce((a, b) => a * b),
      2,
    );
    const lossU = (xa: Float32Array, fa: Float32Array): number =>
      tf.tidy(() => {
        const y = groupedConv2d(tf.tensor4d(xa, c.x), tf.tensor4d(fa, fShape), c.opts);
        const u = tf.tensor(randomArray(y.size, 3), y.shape);
        return Array.from(tf.mul(y, u).dataSync()).reduce((a, b) => a + b, 0);
      });
    const h = 1e-2; // the loss is linear in each argument, so the difference is exact up to rounding
    for (const i of [0, 5, 11, f0.length - 1]) {
      const fp = f0.slice();
      fp[i] = (fp[i] as number) + h;
      const fm = f0.slice();
      fm[i] = (fm[i] as number) - h;
      const num = (lossU(x0, fp) - lossU(x0, fm)) / (2 * h);
      assert.ok(Math.abs(num - (analytic.df[i] as number)) < 1e-3, `dfilter[${i}]: numeric ${num}, analytic ${analytic.df[i]}`);
    }
    for (const i of [0, 13, 100, 37, x0.length - 1]) {
      const xp = x0.slice();
      xp[i] = (xp[i] as number) + h;
      const xm = x0.slice();
      xm[i] = (xm[i] as number) - h;
      const num = (lossU(xp, f0) - lossU(xm, f0)) / (2 * h);
      assert.ok(Math.abs(num - (analytic.dx[i] as number)) < 1e-3, `dx[${i}]: numeric ${num}, analytic ${analytic.dx[i]}`);
    }
  });
});

describe('groupedConv2d gradient is lazy per input', () => {
  test('asking only for dL/dfilter runs no input-gradient convolution, and the other way round', async () => {
    await initBackend({ env: { CONVKAN_BACKEND: 'wasm' } });
    const o: GroupedConv2dOptions = { strides: [1, 1], dilations: [1, 1], groups: 1 };
    const x = tf.randomNormal([2, 6, 6, 3]) as tf.Tensor4D;
    const f = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const convShapes = async (wrt: 'x' | 'filter') => {
      const info = await tf.profile(() => {
        const g =
          wrt === 'x'
            ? tf.grad((a: tf.Tensor) => tf.sum(groupedConv2d(a as tf.Tensor4D, f, o)))(x)
            : tf.grad((b: tf.Tensor) => tf.sum(groupedConv2d(x, b as tf.Tensor4D, o)))(f);
        g.dispose();
      });
      return info.kernels.filter((k) => k.name === 'Conv2D' || k.name === 'ConvKanConv2D').map((k) => JSON.stringify(k.outputShapes[0]));
    };
    // forward [2,4,4,4]; input gradient [2,6,6,3]; filter gradient via the batch-transposed conv [3,3,3,4]
    assert.deepEqual(await convShapes('x'), ['[2,4,4,4]', '[2,6,6,3]']);
    assert.deepEqual(await convShapes('filter'), ['[2,4,4,4]', '[3,3,3,4]']);
    tf.dispose([x, f]);
  });
});

describe('groupedConv2d argument errors', () => {
  test('channels not divisible by groups, wrong filter depth, kernel larger than input', () => {
    tf.tidy(() => {
      const o = { strides: [1, 1] as [number, number], dilations: [1, 1] as [number, number], groups: 2 };
      assert.throws(() => groupedConv2d(tf.zeros([1, 4, 4, 3]), tf.zeros([3, 3, 1, 2]), o), {
        message: 'Error in groupedConv2d: input channels (3) must be divisible by groups (2), but got remainder 1.',
      });
      assert.throws(() => groupedConv2d(tf.zeros([1, 4, 4, 4]), tf.zeros([3, 3, 4, 2]), o), {
        message: 'Error in groupedConv2d: filter in-channels must be Cin/groups = 2, but got 4.',
      });
      assert.throws(() => groupedConv2d(tf.zeros([1, 2, 4, 4]), tf.zeros([3, 3, 2, 2]), o), {
        message: 'Error in groupedConv2d: the dilated kernel (3×3) must fit in the padded input (2×4), but it does not.',
      });
    });
  });
});
