// The wasm basis kernels (kernel/convkan/ops/wasm/basisKernels.wat): the committed binaries are
// the current source's; on the tfjs heap they give the JavaScript reference's numbers
// (bsplineMath.ts, polynomialMath.ts) for values and gradients, edge cases included; the ops
// route to them; the fused polynomial bases equal the composite of tfjs ops on cpu and wasm;
// nothing leaks.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import { bsplineBasis } from '../../kernel/convkan/ops/bsplineBasis';
import { bsplineBackward, bsplineForward } from '../../kernel/convkan/ops/bsplineMath';
import { basisWasm, heapPointer, wasmMemoryOf, type WasmBackendLike } from '../../kernel/convkan/ops/wasm/basisWasm';
import { polynomialBasis } from '../../kernel/convkan/ops/polynomialBasis';
import { polynomialBackward, polynomialForward } from '../../kernel/convkan/ops/polynomialMath';
import { chebyshevCoefficients, chebyshevT } from '../../kernel/convkan/bases/chebyshev';
import { legendreCoefficients, legendreP } from '../../kernel/convkan/bases/legendre';
import { gramCoefficients, gramP } from '../../kernel/convkan/bases/gram';
import { jacobiP, jacobiRecurrence } from '../../kernel/convkan/bases/jacobi';
import { BASIS_WASM_PLAIN, BASIS_WASM_SHARED } from '../../kernel/convkan/ops/wasm/basisWasm.generated';
import { close } from './floatClose';

const root = path.resolve(__dirname, '..', '..');

test('the committed wasm binaries are basisKernels.wat assembled now (npm run build:wasm)', async () => {
  const build = await import(path.join(root, 'scripts', 'buildWasm.mjs'));
  const b64 = await build.assemble(fs.readFileSync(path.join(root, 'kernel/convkan/ops/wasm/basisKernels.wat'), 'utf8'));
  assert.equal(BASIS_WASM_SHARED, b64.shared, 'shared-memory binary is stale: run npm run build:wasm');
  assert.equal(BASIS_WASM_PLAIN, b64.plain, 'plain binary is stale: run npm run build:wasm');
  assert.equal(fs.readFileSync(path.join(root, 'kernel/convkan/ops/wasm/basisWasm.generated.ts'), 'utf8'), build.generatedSource(b64));
});

/** efficient-kan's initial grid, float32, the same for each of F features. */
function uniformKnots(F: number, G = 5, lo = -1, hi = 1): Float32Array {
  const h = (hi - lo) / G;
  const row = Array.from({ length: G + 7 }, (_, j) => lo + (j - 3) * h);
  return Float32Array.from(Array.from({ length: F }, () => row).flat());
}

/** Values on every knot, beside knots, inside, far outside the grid, and the non-finite ones. */
function probes(knots: Float32Array, F: number, rows: number): Float32Array {
  const K = knots.length / F;
  const out = new Float32Array(rows * F);
  let s = 7;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < F; f++) {
      const k = knots.subarray(f * K, f * K + K);
      const v = [
        k[(r + f) % K]!,
        k[(r * 3 + f) % K]! + 1e-4,
        k[0]! - 2 * rnd(),
        k[K - 1]! + 2 * rnd(),
        -4 + 8 * rnd(),
        -4 + 8 * rnd(),
        30 * (rnd() - 0.5),
      ][r % 7]!;
      out[r * F + f] = v;
    }
  }
  out.set([NaN, Infinity, -Infinity, -800, 800, 0], 0);
  return out;
}

describe('wasm kernels on the tfjs heap vs the JavaScript reference', () => {
  let b: WasmBackendLike;
  before(async () => {
    await initBackend({ env: { CONVKAN_BACKEND: 'wasm' } });
    b = tf.backend() as unknown as WasmBackendLike;
  });

  test('the wasm backend exposes its memory and the module instantiates on it (SIMD kernels)', () => {
    assert.ok(wasmMemoryOf(b));
    const w = basisWasm(b);
    for (const name of ['bspline3Forward', 'bspline3Backward', 'polyForward', 'polyBackward'])
      assert.equal(typeof (w as unknown as Record<string, unknown>)[name], 'function');
    assert.equal(basisWasm(b), w, 'one instance per memory');
  });

  for (const F of [1, 3, 32]) {
    for (const withSilu of [false, true]) {
      test(`B-spline order 3, ${F} features${withSilu ? ', with SiLU' : ''}: bspline3Forward/Backward == bsplineForward/Backward`, () => {
        const knotsHost =
          F === 3
            ? Float32Array.from([...uniformKnots(1), ...uniformKnots(1, 5, -3, 2), ...uniformKnots(1, 8, 0, 0.5).slice(0, 12)])
            : uniformKnots(F);
        const xHost = probes(knotsHost, F, 29);
        const layout = { features: F, knotsPerFeature: 12, order: 3, withSilu };
        const S = 8 + (withSilu ? 1 : 0);
        const want = new Float32Array(xHost.length * S);
        bsplineForward(xHost, knotsHost, layout, want);
        const before = tf.memory().numTensors;
        tf.tidy(() => {
          const x = tf.tensor1d(xHost);
          const knots = tf.tensor2d(knotsHost, [F, 12]);
          const out = tf.fill([xHost.length * S], NaN); // each range must clear (and fill) its own part only
          // in two ranges, split inside a row of features: [0, k) and [k, n), in order: the second must not touch the first

          const k = Math.floor(xHost.length / 2) + 1;
          const fwd = (begin: number, end: number) =>
            basisWasm(b).bspline3Forward(
              heapPointer(b, x),
              F,
              12,
              heapPointer(b, knots),
              heapPointer(b, out),
              withSilu ? 1 : 0,
              begin,
              end,
            );
          fwd(0, k);
          fwd(k, xHost.length);
          close(out.dataSync(), want, 'forward', 1e-7, 1e-6);
          // the op routes here: same numbers through bsplineBasis on wasm
          const viaOp = bsplineBasis(tf.reshape(x, [xHost.length / F, F]), knots as tf.Tensor2D, 3, { withSilu });
          assert.deepEqual(Array.from(viaOp.dataSync()), Array.from(out.dataSync()));

          const dyHost = Float32Array.from(want, (_, i) => Math.sin(i * 0.37));
          const dxWant = new Float32Array(xHost.length);
          bsplineBackward(dyHost, xHost, knotsHost, layout, dxWant);
          const dy = tf.tensor1d(dyHost);
          const dx = tf.fill([xHost.length], NaN);
          const bwd = (begin: number, end: number) =>
            basisWasm(b).bspline3Backward(
              heapPointer(b, dy),
              heapPointer(b, x),
              F,
              12,
              heapPointer(b, knots),
              heapPointer(b, dx),
              withSilu ? 1 : 0,
              begin,
              end,
            );
          bwd(0, k);
          bwd(k, xHost.length);
          close(dx.dataSync(), dxWant, 'backward', 1e-6, 1e-6);
        });
        assert.equal(tf.memory().numTensors, before);
      });
    }
  }

  const families = [
    { name: 'Chebyshev', coeffs: chebyshevCoefficients(5), composite: (t: tf.Tensor) => chebyshevT(t, 5) },
    { name: 'Legendre', coeffs: legendreCoefficients(4), composite: (t: tf.Tensor) => legendreP(t, 4) },
    { name: 'Gram', coeffs: gramCoefficients(3, 8), composite: (t: tf.Tensor) => gramP(t, 3, 8) },
    { name: 'Jacobi (α 1, β 0.5)', coeffs: jacobiRecurrence(3, 1, 0.5), composite: (t: tf.Tensor) => jacobiP(t, 3, 1, 0.5) },
    { name: 'Chebyshev degree 1', coeffs: chebyshevCoefficients(1), composite: (t: tf.Tensor) => chebyshevT(t, 1) },
  ];
  for (const fam of families) {
    test(`${fam.name}: polyForward/Backward == polynomialForward/Backward`, () => {
      const d = fam.coeffs.length / 3;
      const xHost = Float32Array.from({ length: 301 }, (_, i) => (i - 150) / 25);
      xHost.set([NaN, 0, 40, -40], 0);
      const want = new Float32Array(xHost.length * (d + 1));
      polynomialForward(xHost, fam.coeffs, want);
      const dyHost = Float32Array.from(want, (_, i) => Math.cos(i));
      const dxWant = new Float32Array(xHost.length);
      polynomialBackward(dyHost, xHost, fam.coeffs, dxWant);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const x = tf.tensor1d(xHost);
        const c = tf.tensor1d(fam.coeffs);
        const out = tf.fill([want.length], NaN);
        // in two ranges: [0, 100) and [100, n)
        basisWasm(b).polyForward(heapPointer(b, x), d, heapPointer(b, c), heapPointer(b, out), 0, 100);
        basisWasm(b).polyForward(heapPointer(b, x), d, heapPointer(b, c), heapPointer(b, out), 100, xHost.length);
        close(out.dataSync(), want, 'forward', 1e-7, 1e-6);
        const dy = tf.tensor1d(dyHost);
        const dx = tf.fill([xHost.length], NaN);
        basisWasm(b).polyBackward(heapPointer(b, dy), heapPointer(b, x), d, heapPointer(b, c), heapPointer(b, dx), 0, 100);
        basisWasm(b).polyBackward(heapPointer(b, dy), heapPointer(b, x), d, heapPointer(b, c), heapPointer(b, dx), 100, xHost.length);
        close(dx.dataSync(), dxWant, 'backward', 1e-6, 1e-6);
        // P_1 … P_d only (first = 1), in two ranges: the rows of polyForward without column 0
        const tail = tf.fill([xHost.length * d], NaN);
        basisWasm(b).polyRangeForward(heapPointer(b, x), d, heapPointer(b, c), heapPointer(b, tail), 1, 0, 150);
        basisWasm(b).polyRangeForward(heapPointer(b, x), d, heapPointer(b, c), heapPointer(b, tail), 1, 150, xHost.length);
        const wantTail = Float32Array.from({ length: xHost.length * d }, (_, i) => want[Math.floor(i / d) * (d + 1) + 1 + (i % d)]!);
        close(tail.dataSync(), wantTail, 'tail forward', 1e-7, 1e-6);
        // its gradient: polyBackward with dy = 0 on column 0
        const dyTailHost = Float32Array.from({ length: xHost.length * d }, (_, i) => dyHost[Math.floor(i / d) * (d + 1) + 1 + (i % d)]!);
        const dyFull = Float32Array.from(dyHost, (v, i) => (i % (d + 1) === 0 ? 0 : v));
        const dxTailWant = new Float32Array(xHost.length);
        polynomialBackward(dyFull, xHost, fam.coeffs, dxTailWant);
        const dxTail = tf.fill([xHost.length], NaN);
        const dyTail = tf.tensor1d(dyTailHost);
        basisWasm(b).polyRangeBackward(
          heapPointer(b, dyTail),
          heapPointer(b, x),
          d,
          heapPointer(b, c),
          heapPointer(b, dxTail),
          1,
          150,
          xHost.length,
        );
        basisWasm(b).polyRangeBackward(heapPointer(b, dyTail), heapPointer(b, x), d, heapPointer(b, c), heapPointer(b, dxTail), 1, 0, 150);
        close(dxTail.dataSync(), dxTailWant, 'tail backward', 1e-6, 1e-6);
      });
      assert.equal(tf.memory().numTensors, before);
    });
  }
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`fused polynomial bases == composite of tfjs ops on ${backend}`, () => {
    before(async () => {
      await initBackend({ env: { CONVKAN_BACKEND: backend } });
    });
    for (const fam of [
      { name: 'Chebyshev', coeffs: chebyshevCoefficients(3), composite: (t: tf.Tensor) => chebyshevT(t, 3) },
      { name: 'Legendre', coeffs: legendreCoefficients(5), composite: (t: tf.Tensor) => legendreP(t, 5) },
      { name: 'Gram (8 points)', coeffs: gramCoefficients(4, 8), composite: (t: tf.Tensor) => gramP(t, 4, 8) },
      { name: 'Jacobi (α 2, β −0.5)', coeffs: jacobiRecurrence(4, 2, -0.5), composite: (t: tf.Tensor) => jacobiP(t, 4, 2, -0.5) },
    ]) {
      test(`${fam.name}: values and input gradients, no leaks`, () => {
        const x = tf.tensor2d([
          [-3, -1.2, -0.3],
          [0, 0.01, 0.7],
          [1.5, 2.2, 9],
        ]);
        const before = tf.memory().numTensors;
        tf.tidy(() => {
          const fused = polynomialBasis(x, fam.coeffs)!;
          const comp = fam.composite(tf.tanh(tf.reshape(x, [9])));
          assert.deepEqual(fused.shape, comp.shape);
          close(fused.dataSync(), comp.dataSync(), 'values', 2e-6, 2e-6);
          const w = tf.randomNormal(comp.shape, 0, 1, 'float32', 4);
          const gF = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(polynomialBasis(v, fam.coeffs)!, w)))(x);
          const gC = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(fam.composite(tf.tanh(tf.reshape(v, [9]))), w)))(x);
          close(gF.dataSync(), gC.dataSync(), 'gradients', 1e-5, 1e-5);
        });
        assert.equal(tf.memory().numTensors, before);
        x.dispose();
      });
    }

    test('central differences agree with the fused gradient (Legendre)', () => {
      const coeffs = legendreCoefficients(3);
      const xs = [-1.3, -0.2, 0.4, 1.1];
      tf.tidy(() => {
        const w = tf.tensor2d([[0.3, -1, 2, 0.5]]);
        const f = (v: tf.Tensor) => tf.sum(tf.mul(polynomialBasis(v, coeffs)!, w));
        const g = tf.grad(f)(tf.tensor1d(xs)).dataSync();
        xs.forEach((v, i) => {
          const h = 1e-2;
          const num = ((f(tf.tensor1d([v + h])).dataSync()[0] as number) - (f(tf.tensor1d([v - h])).dataSync()[0] as number)) / (2 * h);
          assert.ok(Math.abs((g[i] as number) - num) < 2e-3, `x=${v}: fused ${g[i]}, numeric ${num}`);
        });
      });
    });
  });
}

test('polynomialBasis refuses malformed coefficients', async () => {
  await initBackend({ env: { CONVKAN_BACKEND: 'cpu' } });
  assert.throws(() => polynomialBasis(tf.zeros([2]), new Float32Array(4)), {
    message: 'Error in polynomialBasis: coeffs must hold 3 numbers per degree (d ≥ 1), but got 4.',
  });
});
