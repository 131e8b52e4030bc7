// The recurrence families' convolution without P_0 (ops/constantFirstConv.ts, ops/polynomialTail.ts):
// on cpu and wasm, polynomialTail is polynomialBasis without column 0 (values and input
// gradients), constantFirstConv2d equals the full basis convolution it replaces (output, dL/dx,
// dL/dfilter) for every recurrence family with groups, stride, dilation and every padding mode,
// the layers route to it, and nothing leaks.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import { constantFirstConv2d, constantFirstRecurrence } from '../../kernel/convkan/ops/constantFirstConv';
import { groupedConv2d } from '../../kernel/convkan/ops/groupedConv2d';
import { polynomialBasis } from '../../kernel/convkan/ops/polynomialBasis';
import { polynomialTail, polynomialTailBackward, polynomialTailForward } from '../../kernel/convkan/ops/polynomialTail';
import { polynomialBackward, polynomialForward } from '../../kernel/convkan/ops/polynomialMath';
import { chebyshevCoefficients } from '../../kernel/convkan/bases/chebyshev';
import { jacobiRecurrence } from '../../kernel/convkan/bases/jacobi';
import { padInput } from '../../kernel/convkan/conv/padInput';
import { makeBasis } from '../../kernel/convkan/variants/basis';
import { BasisConvKAN2D } from '../../kernel/convkan/variants/basisConvKan2d';
import type { PaddingMode } from '../../kernel/convkan/conv/convGeometry';

function maxDiff(a: tf.Tensor, b: tf.Tensor, what: string): number {
  assert.deepEqual(a.shape, b.shape, `${what}: shapes`);
  const [x, y] = [a.dataSync(), b.dataSync()];
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs((x[i] as number) - (y[i] as number)));
  assert.ok(Number.isFinite(m), `${what}: non-finite difference`);
  return m;
}

test('polynomialTailForward/Backward are the reference rows without P_0 (float64 recurrence)', () => {
  const coeffs = jacobiRecurrence(4, 0.5, 1.5);
  const x = Float32Array.from([-3, -0.7, 0, 0.2, 1.1, 9]);
  const full = new Float32Array(x.length * 5);
  polynomialForward(x, coeffs, full);
  const tail = new Float32Array(x.length * 4);
  polynomialTailForward(x, coeffs, tail);
  for (let i = 0; i < x.length; i++)
    assert.deepEqual(Array.from(tail.subarray(4 * i, 4 * i + 4)), Array.from(full.subarray(5 * i + 1, 5 * i + 5)), `row ${i}`);
  const dy = Float32Array.from({ length: x.length * 4 }, (_, i) => Math.sin(i));
  const dyFull = new Float32Array(x.length * 5);
  for (let i = 0; i < x.length; i++) dyFull.set(dy.subarray(4 * i, 4 * i + 4), 5 * i + 1);
  const [a, b] = [new Float32Array(x.length), new Float32Array(x.length)];
  polynomialTailBackward(dy, x, coeffs, a);
  polynomialBackward(dyFull, x, coeffs, b);
  assert.deepEqual(Array.from(a), Array.from(b), 'dx');
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`on ${backend}`, () => {
    before(async () => {
      const info = await initBackend({ env: { CONVKAN_BACKEND: backend, CONVKAN_WASM_THREADS: '1' } });
      assert.equal(info.name, backend, 'backend');
    });

    test('polynomialTail equals polynomialBasis without column 0, values and input gradient', () => {
      const before = tf.memory().numTensors;
      const coeffs = chebyshevCoefficients(5);
      const x = tf.tensor1d([-40, -2.5, -0.3, 0, 1e-4, 0.6, 3, 40, NaN]);
      const up = tf.randomNormal([9, 5], 0, 1, 'float32', 3);
      const full = polynomialBasis(x, coeffs)!;
      const tail = polynomialTail(x, coeffs);
      const want = tf.slice(full, [0, 1], [-1, 5]);
      const got = tail.arraySync() as number[][];
      (want.arraySync() as number[][]).forEach((row, i) =>
        row.forEach((v, k) => {
          const g = got[i]![k]!;
          assert.ok(
            Object.is(g, v) || (Number.isNaN(g) && Number.isNaN(v)) || Math.abs(g - v) < 1e-6,
            `P_${k + 1}(tanh x[${i}]): got ${g}, want ${v}`,
          );
        }),
      );
      const ok = tf.tensor1d([-2.5, -0.3, 0, 0.6, 3, 1.7, -1, 0.01, 2]);
      const gTail = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(polynomialTail(a, coeffs), up)))(ok);
      const gFull = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.slice(polynomialBasis(a, coeffs)!, [0, 1], [-1, 5]), up)))(ok);
      assert.ok(maxDiff(gTail, gFull, 'dx') < 1e-6, 'dx equal');
      tf.dispose([x, up, full, tail, want, ok, gTail, gFull]);
      assert.equal(tf.memory().numTensors, before, 'no tensors leaked');
    });

    const cases: Array<{
      basis: 'chebyshev' | 'legendre' | 'gram' | 'jacobi';
      degree: number;
      groups: number;
      strides: [number, number];
      dilations: [number, number];
      mode: PaddingMode;
    }> = [
      { basis: 'chebyshev', degree: 3, groups: 1, strides: [1, 1], dilations: [1, 1], mode: 'zeros' },
      { basis: 'chebyshev', degree: 1, groups: 2, strides: [2, 1], dilations: [1, 1], mode: 'reflect' },
      { basis: 'legendre', degree: 4, groups: 2, strides: [1, 1], dilations: [2, 1], mode: 'zeros' },
      { basis: 'gram', degree: 2, groups: 1, strides: [2, 2], dilations: [1, 1], mode: 'circular' },
      { basis: 'jacobi', degree: 3, groups: 4, strides: [1, 2], dilations: [1, 1], mode: 'replicate' },
    ];
    for (const c of cases) {
      const name =
        `constantFirstConv2d equals the full basis convolution: ` +
        `${c.basis} d=${c.degree} groups ${c.groups} stride ${c.strides} dilation ${c.dilations} ${c.mode}`;
      test(name, () => {
        const before = tf.memory().numTensors;
        const basis = makeBasis({ basis: c.basis, degree: c.degree, alpha: 0.5, beta: 1.5 });
        const recurrence = constantFirstRecurrence(basis);
        assert.ok(recurrence, 'the family has a constant first function');
        const cin = 4;
        const x = tf.randomNormal([2, 7, 6, cin], 0, 1.2, 'float32', 11) as tf.Tensor4D;
        const filter = tf.randomNormal([3, 2, (cin / c.groups) * basis.size, 8], 0, 0.3, 'float32', 12) as tf.Tensor4D;
        const opts = { strides: c.strides, dilations: c.dilations, groups: c.groups };
        const pad: [[number, number], [number, number]] = [
          [1, 2],
          [1, 0],
        ];
        const run = (fast: boolean) => (a: tf.Tensor, f: tf.Tensor) =>
          tf.tidy(() => {
            const xp = padInput(a as tf.Tensor4D, pad, c.mode);
            return fast
              ? constantFirstConv2d(xp, recurrence!, f as tf.Tensor4D, opts)
              : groupedConv2d(basis.expand(xp) as tf.Tensor4D, f as tf.Tensor4D, opts);
          });
        const yFast = run(true)(x, filter);
        const ySlow = run(false)(x, filter);
        assert.ok(maxDiff(yFast, ySlow, 'y') < 1e-5, `y: max |Δ| ${maxDiff(yFast, ySlow, 'y')}`);
        const up = tf.randomNormal(ySlow.shape, 0, 1, 'float32', 13);
        const loss = (fast: boolean) => (a: tf.Tensor, f: tf.Tensor) => tf.sum(tf.mul(run(fast)(a, f), up)) as tf.Scalar;
        const [gxFast, gfFast] = tf.grads(loss(true))([x, filter]);
        const [gxSlow, gfSlow] = tf.grads(loss(false))([x, filter]);
        assert.ok(maxDiff(gxFast!, gxSlow!, 'dx') < 1e-5, `dx: max |Δ| ${maxDiff(gxFast!, gxSlow!, 'dx')}`);
        assert.ok(maxDiff(gfFast!, gfSlow!, 'dfilter') < 1e-4, `dfilter: max |Δ| ${maxDiff(gfFast!, gfSlow!, 'dfilter')}`);
        tf.dispose([x, filter, yFast, ySlow, up, gxFast!, gfFast!, gxSlow!, gfSlow!]);
        assert.equal(tf.memory().numTensors, before, 'no tensors leaked');
      });
    }

    test('the recurrence layers route to it; other bases and degree 0 do not', () => {
      assert.ok(constantFirstRecurrence(makeBasis({ basis: 'legendre', degree: 2 })), 'legendre');
      assert.equal(constantFirstRecurrence(makeBasis({ basis: 'bernstein', degree: 3 })), null, 'bernstein has no constant function');
      assert.equal(constantFirstRecurrence(makeBasis({ basis: 'rbf' })), null, 'rbf');
      assert.equal(constantFirstRecurrence(makeBasis({ basis: 'chebyshev', degree: 0 })), null, 'degree 0');
      const layer = new BasisConvKAN2D({ basis: 'chebyshev', degree: 3, filters: 4, kernelSize: 3, padding: 1, useBase: false, seed: 3 });
      const x = tf.randomNormal([1, 5, 5, 2], 0, 1, 'float32', 4);
      const y = layer.apply(x) as tf.Tensor;
      const basisKernel = layer.weights.find((v) => v.originalName.endsWith('basisKernel'))!.read() as tf.Tensor4D;
      const want = groupedConv2d(
        layer.basis.expand(
          tf.pad(x, [
            [0, 0],
            [1, 1],
            [1, 1],
            [0, 0],
          ]),
        ) as tf.Tensor4D,
        basisKernel,
        { strides: [1, 1], dilations: [1, 1], groups: 1 },
      );
      assert.ok(maxDiff(y, want, 'layer') < 1e-5, 'the layer gives the full basis convolution');
      tf.dispose([x, y, want]);
      layer.dispose();
    });

    test('a filter of the wrong width is a clear error', () => {
      const coeffs = chebyshevCoefficients(3);
      const xp = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
      const f = tf.zeros([3, 3, 6, 4]) as tf.Tensor4D;
      assert.throws(
        () => constantFirstConv2d(xp, coeffs, f, { strides: [1, 1], dilations: [1, 1], groups: 1 }),
        /C·K = 2·4 = 8, but got 6·1 = 6/,
        'names expected and actual',
      );
      tf.dispose([xp, f]);
    });
  });
}
