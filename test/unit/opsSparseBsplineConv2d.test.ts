// The sparse B-spline ConvKAN convolution on wasm (ops/sparseBsplineConv2d.ts, bspline3Coefs and
// sparseKanConv2d in basisKernels.wat): equal to the dense form it replaces — groupedConv2d over
// bsplineBasis(zero-padded x, withSilu) — in value and in both gradients, with zero padding, for the
// 8- and 16-wide output blocks, padded output blocks (Cout/G not a multiple of 8), groups, strides,
// dilations, values outside the grid, on knots and NaN; ConvKAN2D takes it exactly where it applies; nothing leaks; bad shapes are named.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import { bsplineBasis } from '../../kernel/convkan/ops/bsplineBasis';
import { groupedConv2d } from '../../kernel/convkan/ops/groupedConv2d';
import {
  SPARSE_BSPLINE_CONV_KERNEL,
  sparseBsplineConv2d,
  sparseBsplineConvApplies,
  sparseBsplineConvCalls,
  withSparseBsplineConv,
} from '../../kernel/convkan/ops/sparseBsplineConv2d';
import { ConvKAN2D } from '../../kernel/convkan/layers/convKan2d';
import { parallelForStats, withSerialParallelFor } from '../../kernel/convkan/ops/wasm/wasmThreadPool';
import { uniformKnots } from '../../kernel/convkan/bases/knots';

type Pair = [number, number];
interface Case {
  name: string;
  x: [number, number, number, number];
  /** zero padding [[top, bottom], [left, right]] */
  p: [Pair, Pair];
  k: Pair;
  cout: number;
  groups: number;
  s: Pair;
  d: Pair;
  grid: number;
}
const CASES: Case[] = [
  {
    name: '16-wide blocks, groups 2',
    x: [2, 6, 6, 4],
    k: [3, 3],
    cout: 32,
    groups: 2,
    s: [1, 1],
    d: [1, 1],
    grid: 5,
    p: [
      [1, 0],
      [0, 2],
    ],
  },
  {
    name: 'Cout/G = 24 (8-wide blocks), groups 2, stride 2 with padding',
    x: [2, 9, 7, 6],
    k: [3, 3],
    cout: 48,
    groups: 2,
    s: [2, 2],
    d: [1, 1],
    grid: 5,
    p: [
      [1, 1],
      [2, 1],
    ],
  },
  {
    name: 'dilation 2 with padding, Cout/G = 3 (padded block), groups 3',
    x: [1, 8, 8, 3],
    k: [3, 3],
    cout: 9,
    groups: 3,
    s: [1, 1],
    d: [2, 2],
    grid: 4,
    p: [
      [2, 2],
      [2, 2],
    ],
  },
  {
    name: '16-wide blocks',
    x: [2, 7, 8, 5],
    k: [3, 3],
    cout: 32,
    groups: 1,
    s: [1, 1],
    d: [1, 1],
    grid: 5,
    p: [
      [1, 1],
      [1, 1],
    ],
  },
  {
    name: '8-wide blocks, groups 2',
    x: [2, 6, 7, 4],
    k: [3, 3],
    cout: 16,
    groups: 2,
    s: [1, 1],
    d: [1, 1],
    grid: 5,
    p: [
      [0, 0],
      [0, 0],
    ],
  },
  {
    name: 'Cout/G = 5 (padded block), stride 2×3',
    x: [1, 9, 10, 3],
    k: [3, 2],
    cout: 5,
    groups: 1,
    s: [2, 3],
    d: [1, 1],
    grid: 5,
    p: [
      [2, 0],
      [1, 3],
    ],
  },
  {
    name: 'dilation 2×1, groups 4, grid 3',
    x: [2, 9, 6, 8],
    k: [2, 3],
    cout: 12,
    groups: 4,
    s: [1, 1],
    d: [2, 1],
    grid: 3,
    p: [
      [2, 2],
      [0, 1],
    ],
  },
  {
    name: 'grid 8, 1×1 kernel',
    x: [3, 4, 4, 6],
    k: [1, 1],
    cout: 24,
    groups: 1,
    s: [1, 1],
    d: [1, 1],
    grid: 8,
    p: [
      [0, 0],
      [0, 0],
    ],
  },
];

function knotsFor(features: number, grid: number): tf.Tensor2D {
  const row = uniformKnots(grid, 3, [-1, 1]);
  return tf.tensor2d(
    Array.from({ length: features }, () => Array.from(row)),
    [features, row.length],
  );
}

/** Values in [-2.6, 2.6], beyond the knots' span ([-2.2, 2.2] at grid 5), and three exactly on knots. */
function inputFor(shape: [number, number, number, number], grid: number): tf.Tensor4D {
  return tf.tidy(() => {
    const x = tf.randomUniform(shape, -2.6, 2.6, 'float32', 11).arraySync() as number[][][][];
    const knots = uniformKnots(grid, 3, [-1, 1]);
    x[0]![0]![0]![0] = knots[4]!; // on a knot
    x[0]![1]![0]![0] = knots[0]!; // the first knot
    x[0]![1]![1]![0] = knots[knots.length - 1]!; // the last knot (outside: all bases 0)
    return tf.tensor4d(x);
  });
}

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, 1e-12));
}

describe('sparse B-spline ConvKAN convolution (wasm)', () => {
  before(async () => {
    const info = await initBackend({ prefer: 'wasm', env: { CONVKAN_WASM_THREADS: '3' } });
    assert.equal(info.label, 'wasm (SIMD, 3 threads)', `these tests need the threaded wasm backend: ${info.reason}`);
  });

  for (const c of CASES) {
    test(`${c.name}: value and gradients equal the dense form`, () => {
      const before = tf.memory().numTensors;
      const cin = c.x[3];
      const nb = c.grid + 3;
      const knots = knotsFor(cin, c.grid);
      const x = inputFor(c.x, c.grid);
      const filter = tf.randomNormal([c.k[0], c.k[1], (cin / c.groups) * (1 + nb), c.cout], 0, 0.3, 'float32', 5) as tf.Tensor4D;
      const opts = { strides: c.s, dilations: c.d, groups: c.groups };
      const loss = (f: (xx: tf.Tensor4D, ff: tf.Tensor4D) => tf.Tensor4D) => (xx: tf.Tensor, ff: tf.Tensor) =>
        tf.tidy(() => {
          const y = f(xx as tf.Tensor4D, ff as tf.Tensor4D);
          return tf.sum(tf.mul(y, tf.cos(tf.reshape(tf.range(0, y.size), y.shape)))) as tf.Scalar;
        });
      const sparse = (xx: tf.Tensor4D, ff: tf.Tensor4D) => sparseBsplineConv2d(xx, knots, ff, { ...opts, padding: c.p });
      const [[t, b], [l, r]] = c.p;
      const dense = (xx: tf.Tensor4D, ff: tf.Tensor4D) =>
        tf.tidy(() =>
          groupedConv2d(
            bsplineBasis(
              tf.pad(xx, [
                [0, 0],
                [t, b],
                [l, r],
                [0, 0],
              ]),
              knots,
              3,
              { withSilu: true },
            ) as tf.Tensor4D,
            ff,
            opts,
          ),
        );
      const calls = sparseBsplineConvCalls();
      const ys = sparse(x, filter);
      assert.ok(sparseBsplineConvCalls() > calls, 'the wasm kernel ran');
      const yd = dense(x, filter);
      assert.deepEqual(ys.shape, yd.shape, 'output shapes');
      assert.ok(maxRelDiff(ys, yd) < 2e-6, `${c.name}: output differs by ${maxRelDiff(ys, yd)} of the largest`);
      const [gxs, gfs] = tf.grads(loss(sparse))([x, filter]);
      const [gxd, gfd] = tf.grads(loss(dense))([x, filter]);
      assert.ok(maxRelDiff(gxs!, gxd!) < 2e-6, `${c.name}: input gradient differs by ${maxRelDiff(gxs!, gxd!)}`);
      assert.ok(maxRelDiff(gfs!, gfd!) < 2e-6, `${c.name}: filter gradient differs by ${maxRelDiff(gfs!, gfd!)}`);
      tf.dispose([knots, x, filter, ys, yd, gxs!, gfs!, gxd!, gfd!]);
      assert.equal(tf.memory().numTensors, before, `${c.name}: tensors leaked`);
    });
  }

  const THREAD_CASES = [
    {
      name: '16-wide blocks',
      groups: 1,
      cout: 32,
      s: [1, 1] as Pair,
      p: [
        [1, 1],
        [1, 1],
      ] as [Pair, Pair],
    },
    {
      name: 'groups 2, Cout/G = 24, stride 2×1, uneven padding',
      groups: 2,
      cout: 48,
      s: [2, 1] as Pair,
      p: [
        [2, 0],
        [1, 3],
      ] as [Pair, Pair],
    },
  ];
  for (const t of THREAD_CASES)
    test(`split over 3 threads (${t.name}), the output equals the one-thread output bit for bit`, () => {
      tf.tidy(() => {
        const knots = knotsFor(8, 5);
        const x = inputFor([8, 14, 14, 8], 5);
        const filter = tf.randomNormal([3, 3, (8 / t.groups) * 9, t.cout], 0, 0.3, 'float32', 8) as tf.Tensor4D;
        const opts = { strides: t.s, dilations: [1, 1] as Pair, groups: t.groups, padding: t.p };
        const before = parallelForStats();
        const threaded = sparseBsplineConv2d(x, knots, filter, opts).dataSync();
        const after = parallelForStats();
        assert.equal(after.parallelCalls - before.parallelCalls, 2, 'the coefficients and the convolution each ran split across threads');
        const serial = withSerialParallelFor(() => sparseBsplineConv2d(x, knots, filter, opts).dataSync());
        assert.equal(parallelForStats().serialCalls - after.serialCalls, 2, 'the comparison ran on one thread');
        assert.ok(
          threaded.every((v, i) => Object.is(v, serial[i])),
          'every output value is the same float',
        );
      });
    });

  test('a NaN input value makes exactly the outputs that read it NaN, as the dense form', () => {
    tf.tidy(() => {
      const knots = knotsFor(4, 5);
      const x = tf.buffer([1, 6, 6, 4], 'float32', inputFor([1, 6, 6, 4], 5).dataSync() as Float32Array);
      x.set(NaN, 0, 2, 3, 1);
      const filter = tf.randomNormal([3, 3, 4 * 9, 8], 0, 0.3, 'float32', 3) as tf.Tensor4D;
      const opts = { strides: [1, 1] as Pair, dilations: [1, 1] as Pair, groups: 1 };
      const ys = sparseBsplineConv2d(x.toTensor() as tf.Tensor4D, knots, filter, opts).dataSync();
      const yd = groupedConv2d(bsplineBasis(x.toTensor(), knots, 3, { withSilu: true }) as tf.Tensor4D, filter, opts).dataSync();
      const nanS = Array.from(ys, Number.isNaN);
      assert.deepEqual(nanS, Array.from(yd, Number.isNaN), 'the NaN outputs are the same');
      assert.equal(nanS.filter(Boolean).length, 9 * 8, 'the 3×3 outputs around the NaN, all 8 channels');
    });
  });

  test('ConvKAN2D takes the sparse kernel on wasm exactly where it applies', () => {
    const x = tf.randomUniform([2, 6, 6, 3], -1, 1, 'float32', 2);
    const ran = (layer: ConvKAN2D) => {
      const calls = sparseBsplineConvCalls();
      tf.dispose(layer.apply(x) as tf.Tensor);
      return sparseBsplineConvCalls() - calls;
    };
    const cubic = new ConvKAN2D({ filters: 4, kernelSize: 3, padding: 'same', seed: 1 });
    assert.equal(ran(cubic), 1, 'order 3 on the initial grid: sparse');
    assert.equal(
      withSparseBsplineConv(false, () => ran(cubic)),
      0,
      'switched off: dense',
    );
    const quadratic = new ConvKAN2D({ filters: 4, kernelSize: 3, padding: 'same', splineOrder: 2, seed: 1 });
    assert.equal(ran(quadratic), 0, 'order 2: dense (the kernel is for cubic splines)');
    cubic.updateGrid(tf.mul(x, 3));
    assert.equal(ran(cubic), 0, 'after updateGrid: the unfold path');
    const knots = tf.tensor2d([[-1, -0.5, 0, 0.7, 1, 1.5, 2, 2.5, 3]]);
    assert.equal(sparseBsplineConvApplies(knots, 3), false, 'unevenly spaced knots are not covered');
    tf.dispose([x, knots]);
    for (const l of [cubic, quadratic]) l.dispose();
  });

  test('mismatched shapes name the kernel and the shapes', () => {
    tf.tidy(() => {
      const knots = knotsFor(4, 5);
      const x = tf.zeros([1, 5, 5, 4]) as tf.Tensor4D;
      const filter = tf.zeros([3, 3, 4 * 8, 8]) as tf.Tensor4D; // 8 rows per channel, not 9
      assert.throws(
        () => sparseBsplineConv2d(x, knots, filter, { strides: [1, 1], dilations: [1, 1], groups: 1 }),
        (e: Error) => e.message.includes(SPARSE_BSPLINE_CONV_KERNEL) && e.message.includes('[3,3,32,8]') && e.message.includes('[1,5,5,4]'),
        'the error names the kernel, the filter and x',
      );
    });
  });

  test('ConvKAN2D channelsFirst on the expanded path: sparse equals dense', () => {
    tf.tidy(() => {
      const layer = new ConvKAN2D({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst', seed: 4 });
      const x = tf.mul(tf.randomNormal([2, 3, 9, 9], 0, 1, 'float32', 6), 1.5);
      const calls = sparseBsplineConvCalls();
      const ys = layer.apply(x) as tf.Tensor;
      assert.equal(sparseBsplineConvCalls() - calls, 1, 'the sparse kernel ran');
      const yd = withSparseBsplineConv(false, () => layer.apply(x) as tf.Tensor);
      assert.deepEqual(ys.shape, [2, 8, 5, 5], 'channelsFirst output shape');
      assert.ok(maxRelDiff(ys, yd) < 2e-6, `channelsFirst output differs by ${maxRelDiff(ys, yd)}`);
      layer.dispose();
    });
  });

  test('inputs the kernel cannot take are refused with the reason', () => {
    tf.tidy(() => {
      const opts = { strides: [1, 1] as Pair, dilations: [1, 1] as Pair, groups: 1 };
      const refuses = (f: () => unknown, expected: string) =>
        assert.throws(
          f,
          (e: Error) => e.message.includes(SPARSE_BSPLINE_CONV_KERNEL) && e.message.includes(expected),
          `refused with "${expected}"`,
        );
      // Cin 2 with groups 4: the filter's row count alone would agree (2·6 = 4·3)
      refuses(
        () => sparseBsplineConv2d(tf.zeros([1, 5, 5, 2]), knotsFor(2, 2), tf.zeros([3, 3, 3, 8]), { ...opts, groups: 4 }),
        'dividing Cin and Cout',
      );
      const uneven = tf.tensor2d([[-1, -0.5, 0, 0.7, 1, 1.5, 2, 2.5, 3]]);
      refuses(() => sparseBsplineConv2d(tf.zeros([1, 5, 5, 1]), uneven, tf.zeros([3, 3, 6, 8]), opts), 'evenly spaced knots');
      refuses(() => sparseBsplineConv2d(tf.zeros([1, 2, 2, 1]), knotsFor(1, 5), tf.zeros([3, 3, 9, 8]), opts), 'the dilated kernel to fit');
    });
  });
});
