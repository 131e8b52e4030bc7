// The wasm filter-gradient kernel (ops/conv2dFilterGradWasm.ts, conv2dFilterGradTap in basisKernels.wat):
// equal to a float64 sum of its definition, to the tfjs-op form it replaces (conv2dFilterGradByConv) and
// to tf's own conv2d gradient on cpu, with strides, dilations, zero padding and odd shapes; groupedConv2d's
// gradient routes to it on wasm (and not where it does not apply); nothing leaks; bad shapes are named.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import { conv2dFilterGradByConv } from '../../kernel/convkan/ops/conv2dGrads';
import { CONV2D_FILTER_GRAD_KERNEL, conv2dFilterGradWasm } from '../../kernel/convkan/ops/conv2dFilterGradWasm';
import { groupedConv2d, type GroupedConv2dOptions } from '../../kernel/convkan/ops/groupedConv2d';
import { dyShapeOf, float64FilterGrad, randomArray, type FilterGradCase, type Quad } from './convCases';

type Case = FilterGradCase;
const CASES: Case[] = [
  {
    name: '3×3, 27 in, 32 out',
    x: [2, 10, 10, 27],
    f: [3, 3, 27, 32],
    s: [1, 1],
    d: [1, 1],
    p: [
      [1, 1],
      [1, 1],
    ],
  },
  {
    name: 'odd sizes, 3 in',
    x: [3, 7, 9, 3],
    f: [3, 2, 3, 8],
    s: [1, 1],
    d: [1, 1],
    p: [
      [0, 0],
      [0, 0],
    ],
  },
  {
    name: 'stride 2×3, uneven padding',
    x: [2, 9, 8, 6],
    f: [3, 3, 6, 16],
    s: [2, 3],
    d: [1, 1],
    p: [
      [1, 2],
      [0, 1],
    ],
  },
  {
    name: 'stride and dilation',
    x: [1, 11, 10, 7],
    f: [2, 3, 7, 8],
    s: [2, 2],
    d: [2, 3],
    p: [
      [1, 1],
      [2, 0],
    ],
  },
  {
    name: 'padding wider than the taps reach',
    x: [3, 6, 6, 5],
    f: [3, 3, 5, 24],
    s: [1, 1],
    d: [2, 2],
    p: [
      [5, 3],
      [3, 6],
    ],
  },
  {
    name: '1×1, stride 2',
    x: [2, 5, 6, 9],
    f: [1, 1, 9, 8],
    s: [2, 2],
    d: [1, 1],
    p: [
      [0, 0],
      [0, 0],
    ],
  },
];

function inputs(c: Case): { x: Float32Array; dy: Float32Array; dyShape: Quad } {
  const dyShape = dyShapeOf(c);
  return {
    x: randomArray(
      c.x.reduce((a, b) => a * b),
      1,
    ),
    dy: randomArray(
      dyShape.reduce((a, b) => a * b),
      2,
    ),
    dyShape,
  };
}

/** tf's own Conv2DBackpropFilter on cpu (dilation 1 only: tfjs refuses the gradient of a dilated conv2d). */
function tfFilterGrad(c: Case, x: Float32Array, dy: Float32Array, dyShape: Quad): Float32Array {
  return tf.tidy(() => {
    const xp = tf.pad(tf.tensor4d(x, c.x), [[0, 0], c.p[0], c.p[1], [0, 0]]) as tf.Tensor4D;
    const dyt = tf.tensor4d(dy, dyShape);
    const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xp, f as tf.Tensor4D, c.s, 'valid'), dyt)));
    return grad(tf.zeros(c.f)).dataSync() as Float32Array;
  });
}

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, rtol = 1e-4): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i] as number));
  for (let i = 0; i < got.length; i++) {
    const a = got[i] as number;
    const e = want[i] as number;
    if (!(Math.abs(a - e) <= rtol * Math.max(Math.abs(e), scale * 1e-2))) assert.fail(`${what}[${i}]: expected ${e}, got ${a}`);
  }
}

function kernelNames(f: () => void): Promise<string[]> {
  return tf.profile(f).then((info) => info.kernels.map((k) => k.name));
}

describe('conv2d filter gradient on wasm: the SIMD kernel', () => {
  before(async () => {
    await initBackend({ env: { CONVKAN_BACKEND: 'wasm' } });
  });

  for (const c of CASES) {
    test(`${c.name}: equals the float64 sum, the tfjs-op form, and tf's own gradient on cpu`, async () => {
      const { x, dy, dyShape } = inputs(c);
      const [mine, byConv] = tf.tidy(() => {
        const xt = tf.tensor4d(x, c.x);
        const dyt = tf.tensor4d(dy, dyShape);
        return [
          conv2dFilterGradWasm(xt, dyt, c.f, c.s, c.d, c.p).dataSync() as Float32Array,
          conv2dFilterGradByConv(xt, dyt, c.f, c.s, c.d, c.p).dataSync() as Float32Array,
        ];
      });
      assertClose(mine, float64FilterGrad(c, x, dy, dyShape), `${c.name}: kernel vs float64 sum`);
      assertClose(mine, byConv, `${c.name}: kernel vs conv2dFilterGradByConv on wasm`);
      if (c.d[0] === 1 && c.d[1] === 1) {
        await tf.setBackend('cpu');
        const ref = tfFilterGrad(c, x, dy, dyShape);
        await tf.setBackend('wasm');
        assertClose(mine, ref, `${c.name}: kernel vs tf.conv2DBackpropFilter on cpu`);
      }
    });
  }

  test("groupedConv2d's filter gradient runs the kernel per group (out-channels per group a multiple of 8), not otherwise", async () => {
    const o: GroupedConv2dOptions = {
      strides: [1, 1],
      dilations: [1, 1],
      groups: 2,
      padding: [
        [1, 1],
        [1, 1],
      ],
    };
    const x = tf.tensor4d(randomArray(2 * 6 * 6 * 6, 3), [2, 6, 6, 6]);
    const grad = (cout: number) => async () => {
      const f = tf.tensor4d(randomArray(3 * 3 * 3 * cout, 4), [3, 3, 3, cout]);
      const names = await kernelNames(() =>
        tf
          .grad((b: tf.Tensor) => tf.sum(groupedConv2d(x, b as tf.Tensor4D, o)))(f)
          .dispose(),
      );
      f.dispose();
      return names.filter((n) => n === CONV2D_FILTER_GRAD_KERNEL).length;
    };
    assert.equal(await grad(16)(), 2, 'groups 2, 8 out-channels each: one kernel run per group');
    assert.equal(await grad(12)(), 0, '6 out-channels per group: the tfjs-op form');
    x.dispose();
  });

  test('no tensors leak through groupedConv2d forward + backward with the kernel', () => {
    const o: GroupedConv2dOptions = { strides: [2, 1], dilations: [1, 2], groups: 2 };
    const x = tf.tensor4d(randomArray(2 * 9 * 9 * 4, 5), [2, 9, 9, 4]);
    const f = tf.tensor4d(randomArray(3 * 3 * 2 * 16, 6), [3, 3, 2, 16]);
    const step = () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(groupedConv2d(a as tf.Tensor4D, b as tf.Tensor4D, o)))([x, f]);
    tf.dispose(step()); // burn-in
    const before = tf.memory().numTensors;
    tf.dispose(step());
    assert.equal(tf.memory().numTensors, before, 'tensor count after a forward + backward');
    tf.dispose([x, f]);
  });

  test('x, dy and the filter shape that do not match are named', () => {
    tf.tidy(() => {
      assert.throws(
        () =>
          conv2dFilterGradWasm(
            tf.zeros([1, 4, 4, 3]),
            tf.zeros([1, 2, 2, 8]),
            [3, 3, 2, 8],
            [1, 1],
            [1, 1],
            [
              [0, 0],
              [0, 0],
            ],
          ),
        {
          message:
            'Error in ConvKanConv2DFilterGrad: x [1,4,4,3] and dy [1,2,2,8] must match the filter [3,3,2,8] ' +
            '(x channels = filter in-channels, dy channels = filter out-channels, same batch), but they do not.',
        },
      );
    });
  });
});
