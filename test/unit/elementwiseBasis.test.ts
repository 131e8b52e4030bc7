// The fused rbf, reluKan and bernstein bases (ops/elementwiseBasis.ts, basisKernels.wat): on cpu
// and wasm they equal the composite of tfjs ops (values, and input gradients through tf.grad)
// outside the grid, on the support edges and centres, for NaN and ±Infinity; the wasm exports
// equal the JavaScript reference and a range split in two equals one call; over 3 wasm threads
// they equal one thread bit for bit; layers of each family give the composite's output and
// gradients; nothing leaks.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import {
  bernsteinBasisFused,
  hasFusedBasis,
  rbfBasisFused,
  reluKanBasisFused,
  waveletBasisFused,
  withCompositeBases,
} from '../../kernel/convkan/ops/elementwiseBasis';
import {
  bernsteinBackward,
  bernsteinForward,
  rbfBackward,
  rbfForward,
  rbfParams,
  reluKanBackward,
  reluKanForward,
  reluKanParams,
  waveletBackward,
  waveletForward,
  WAVELET_KINDS,
} from '../../kernel/convkan/ops/elementwiseBasisMath';
import { basisWasm, heapPointer, type WasmBackendLike } from '../../kernel/convkan/ops/wasm/basisWasm';
import { parallelForStats, withSerialParallelFor } from '../../kernel/convkan/ops/wasm/wasmThreadPool';
import { rbfBasis } from '../../kernel/convkan/bases/rbf';
import { reluKanBasis, reluKanEdges } from '../../kernel/convkan/bases/reluKan';
import { bernsteinComposite } from '../../kernel/convkan/bases/bernstein';
import { centres } from '../../kernel/convkan/bases/gridCentres';
import { MEXICAN_HAT_SCALE, MORLET_OMEGA, WAVELET_BASES, waveletBasis } from '../../kernel/convkan/bases/wavelets';
import { BasisConvKAN2D } from '../../kernel/convkan/variants/basisConvKan2d';
import type { BasisName } from '../../kernel/convkan/bases/registry';
import { close } from './floatClose';

function sameBits(a: Float32Array, b: Float32Array, what: string, anyNaN = false): void {
  assert.equal(a.length, b.length, `${what}: length`);
  if (anyNaN) {
    const nan = (v: Float32Array) => Array.from(v, Number.isNaN);
    assert.deepEqual(nan(a), nan(b), `${what}: the same values are NaN`);
    a = a.map((v) => (Number.isNaN(v) ? 0 : v));
    b = b.map((v) => (Number.isNaN(v) ? 0 : v));
  }
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

interface Case {
  name: string;
  family: 'rbf' | 'reluKan' | 'bernstein' | 'wavelet';
  /** The wasm exports' arguments between the tensors and the output, given the params pointer. */
  mid(params: number): number[];
  K: number;
  fused: (x: tf.Tensor) => tf.Tensor | null;
  composite: (x: tf.Tensor) => tf.Tensor;
  /** Points that matter to this family: centres, support edges. */
  marks: number[];
  /** The wasm exports' arguments between the tensors and the output, and the JavaScript reference. */
  params: Float32Array;
  ref: { fwd(x: Float32Array, out: Float32Array): void; bwd(dy: Float32Array, x: Float32Array, dx: Float32Array): void };
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const [G, range] of [
    [8, [-2, 2]],
    [5, [-1, 1]],
    [3, [-0.5, 1.5]],
  ] as [number, [number, number]][]) {
    const { c, h } = centres(G, range);
    const p = rbfParams(c, h);
    out.push({
      name: `rbf, ${G} centres on [${range}]`,
      family: 'rbf',
      K: G,
      fused: (x) => rbfBasisFused(x, c, h),
      composite: (x) => rbfBasis(x, G, range),
      marks: c.flatMap((cj) => [cj, cj + h / 2]),
      params: p,
      mid: (ptr) => [G, ptr],
      ref: { fwd: (x, o) => rbfForward(x, p, o), bwd: (dy, x, dx) => rbfBackward(dy, x, p, dx) },
    });
    for (const w of WAVELET_BASES) {
      const kind = WAVELET_KINDS[w];
      out.push({
        name: `${w}, ${G} centres on [${range}]`,
        family: 'wavelet',
        K: G,
        fused: (x) => waveletBasisFused(x, w, c, h),
        composite: (x) => waveletBasis(x, w, G, range),
        marks: c.flatMap((cj) => [cj, cj + h / 2, cj + h / Math.sqrt(3), cj + 3 * h]),
        params: p,
        mid: (ptr) => [kind, G, ptr],
        ref: { fwd: (x, o) => waveletForward(x, kind, p, o), bwd: (dy, x, dx) => waveletBackward(dy, x, kind, p, dx) },
      });
    }
  }
  for (const [G, r, range] of [
    [5, 3, [-1, 1]],
    [4, 2, [-2, 3]],
    [3, 0, [0, 1]],
  ] as [number, number, [number, number]][]) {
    const { s, e, norm } = reluKanEdges(G, r, range);
    const p = reluKanParams(s, e, norm);
    out.push({
      name: `reluKan, grid ${G}, order ${r} on [${range}]`,
      family: 'reluKan',
      K: G + r,
      fused: (x) => reluKanBasisFused(x, s, e, norm),
      composite: (x) => reluKanBasis(x, G, r, range),
      marks: [...s, ...e, ...s.map((si, i) => (si + e[i]!) / 2)].map(Math.fround),
      params: p,
      mid: (ptr) => [G + r, ptr],
      ref: { fwd: (x, o) => reluKanForward(x, p, o), bwd: (dy, x, dx) => reluKanBackward(dy, x, p, dx) },
    });
  }
  for (const d of [3, 1, 0, 7]) {
    out.push({
      name: `bernstein, degree ${d}`,
      family: 'bernstein',
      K: d + 1,
      fused: (x) => bernsteinBasisFused(x, d),
      composite: (x) => bernsteinComposite(x, d),
      marks: [0, 1e-3, -1e-3, 0.5, -0.5, 3, -3, 9, -9, 20, -20],
      params: Float32Array.of(d),
      mid: () => [d],
      ref: { fwd: (x, o) => bernsteinForward(x, d, o), bwd: (dy, x, dx) => bernsteinBackward(dy, x, d, dx) },
    });
  }
  return out;
}

/** The family's marks, next to them, a sweep through and beyond the grid, far out, NaN and ±Infinity. */
function probes(c: Case, n = 240): Float32Array {
  const v: number[] = [NaN, Infinity, -Infinity, 0, 1e6, -1e6, 40, -40];
  for (const m of c.marks) v.push(m, m + 1e-4, m - 1e-4);
  let s = 11;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  while (v.length < n) v.push(-6 + 12 * rnd());
  return Float32Array.from(v);
}

/** Without the non-finite inputs (their gradients: NaN either way, checked where both give NaN). */
const finite = (x: Float32Array) => x.filter((v) => Number.isFinite(v));

function fusedEqualsComposite(c: Case, backend: string): void {
  const xHost = probes(c);
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const x = tf.tensor1d(xHost);
    const fused = c.fused(x);
    assert.ok(fused, `${c.name}: a fused kernel on ${backend}`);
    const comp = c.composite(x);
    assert.deepEqual(fused.shape, [xHost.length, c.K], `${c.name}: shape`);
    assert.deepEqual(fused.shape, comp.shape, `${c.name}: shape as the composite`);
    // reluKan runs the composite's float32 operations: the same floats (any NaN for a NaN)
    if (c.family === 'reluKan') sameBits(fused.dataSync() as Float32Array, comp.dataSync() as Float32Array, `${c.name} values`, true);
    else close(fused.dataSync(), comp.dataSync(), `${c.name} values`, 2e-6, 2e-6);
    for (const [label, xs] of [
      ['finite inputs', finite(xHost)],
      ['all inputs', xHost],
    ] as const) {
      const xt = tf.tensor1d(xs);
      const w = tf.randomNormal([xs.length, c.K], 0, 1, 'float32', 4);
      const gF = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(c.fused(v)!, w)))(xt);
      const gC = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(c.composite(v), w)))(xt);
      close(gF.dataSync(), gC.dataSync(), `${c.name} gradients (${label})`, 1e-5, 1e-5);
    }
  });
  assert.equal(tf.memory().numTensors, before, `${c.name}: tensors leaked`);
}

const LAYER_FAMILIES: readonly BasisName[] = ['rbf', 'reluKan', 'bernstein', ...WAVELET_BASES];

function layerEqualsComposite(family: BasisName): void {
  const before = tf.memory().numTensors;
  const layer = new BasisConvKAN2D({ basis: family, filters: 6, kernelSize: 3, padding: 'same', seed: 2 });
  tf.tidy(() => {
    const x = tf.randomUniform([2, 7, 6, 3], -3, 3, 'float32', 9);
    const up = tf.randomNormal([2, 7, 6, 6], 0, 1, 'float32', 5);
    const loss = () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, up)) as tf.Scalar;
    const yF = (layer.apply(x) as tf.Tensor).dataSync();
    const yC = withCompositeBases(() => (layer.apply(x) as tf.Tensor).dataSync());
    close(yF, yC, `${family} layer output`, 1e-5, 1e-5);
    const gx = (f: () => Float32Array[]) => f();
    const grads = () => {
      const { grads: g } = tf.variableGrads(
        loss,
        layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val),
      );
      const gIn = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v) as tf.Tensor, up)))(x);
      return [gIn, ...Object.values(g)].map((t) => t.dataSync() as Float32Array);
    };
    const gF = gx(grads);
    const gC = withCompositeBases(() => gx(grads));
    assert.equal(gF.length, gC.length, `${family} layer: as many gradients`);
    gF.forEach((g, i) => close(g, gC[i]!, `${family} layer gradient ${i}`, 1e-4, 1e-4));
  });
  layer.dispose();
  assert.equal(tf.memory().numTensors, before, `${family} layer: tensors leaked`);
}

describe('fused elementwise bases on wasm (3 threads)', () => {
  let b: WasmBackendLike;
  before(async () => {
    const info = await initBackend({ prefer: 'wasm', env: { CONVKAN_WASM_THREADS: '3' } });
    assert.equal(info.label, 'wasm (SIMD, 3 threads)', `these tests need the threaded wasm backend: ${info.reason}`);
    b = tf.backend() as unknown as WasmBackendLike;
  });

  for (const c of cases()) {
    test(`${c.name}: fused == composite (values, gradients), no leaks`, () => fusedEqualsComposite(c, 'wasm'));

    test(`${c.name}: the wasm exports == the JavaScript reference, a range split in two == one call`, () => {
      const xHost = probes(c, 301);
      const n = xHost.length;
      const want = new Float32Array(n * c.K);
      c.ref.fwd(xHost, want);
      const dyHost = Float32Array.from(want, (_, i) => Math.sin(i * 0.37));
      const dxWant = new Float32Array(n);
      c.ref.bwd(dyHost, xHost, dxWant);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const w = basisWasm(b) as unknown as Record<string, (...a: number[]) => void>;
        const x = tf.tensor1d(xHost);
        const p = tf.tensor1d(c.params);
        const mid = c.mid(heapPointer(b, p));
        const fwd = (out: tf.Tensor, ranges: [number, number][]) => {
          for (const [lo, hi] of ranges) w[`${c.family}Forward`]!(heapPointer(b, x), ...mid, heapPointer(b, out), lo, hi);
          return out.dataSync() as Float32Array;
        };
        const whole = fwd(tf.fill([n * c.K], 7), [[0, n]]);
        const split = fwd(tf.fill([n * c.K], 7), [
          [101, n],
          [0, 101],
        ]);
        sameBits(split, whole, `${c.name} forward, split`);
        close(whole, want, `${c.name} forward vs reference`, 1e-7, 1e-6);
        const dy = tf.tensor1d(dyHost);
        const bwd = (dx: tf.Tensor, ranges: [number, number][]) => {
          for (const [lo, hi] of ranges)
            w[`${c.family}Backward`]!(heapPointer(b, dy), heapPointer(b, x), ...mid, heapPointer(b, dx), lo, hi);
          return dx.dataSync() as Float32Array;
        };
        const dWhole = bwd(tf.fill([n], 7), [[0, n]]);
        const dSplit = bwd(tf.fill([n], 7), [
          [0, 57],
          [57, n],
        ]);
        sameBits(dSplit, dWhole, `${c.name} backward, split`);
        close(dWhole, dxWant, `${c.name} backward vs reference`, 1e-6, 1e-5);
      });
      assert.equal(tf.memory().numTensors, before, `${c.name}: tensors leaked`);
    });
  }

  test('split over 3 threads, values and gradients equal one thread bit for bit', () => {
    for (const c of cases().filter((_, i) => i % 3 === 0)) {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const x = tf.randomUniform([3 * 4096 + 77], -4, 4, 'float32', 3);
        const w = tf.randomNormal([x.size, c.K], 0, 1, 'float32', 4);
        const run = () => {
          const y = c.fused(x)!.dataSync() as Float32Array;
          const g = tf
            .grad((v: tf.Tensor) => tf.sum(tf.mul(c.fused(v)!, w)))(x)
            .dataSync() as Float32Array;
          return [y, g];
        };
        const s0 = parallelForStats();
        const [y, g] = run();
        const s1 = parallelForStats();
        assert.equal(s1.parallelCalls - s0.parallelCalls, 3, `${c.name}: forward twice and backward once split across threads`);
        const [ys, gs] = withSerialParallelFor(run);
        assert.equal(parallelForStats().serialCalls - s1.serialCalls, 3, `${c.name}: the comparison ran on one thread`);
        sameBits(y!, ys!, `${c.name} values`);
        sameBits(g!, gs!, `${c.name} gradients`);
      });
      assert.equal(tf.memory().numTensors, before, `${c.name}: tensors leaked`);
    }
  });

  for (const family of LAYER_FAMILIES)
    test(`BasisConvKAN2D ${family}: fused == composite (output, input and weight gradients)`, () => {
      const kernel = (WAVELET_BASES as readonly string[]).includes(family) ? 'wavelet' : (family as 'rbf');
      assert.ok(hasFusedBasis(kernel), `${family}: fused on wasm`);
      assert.ok(!withCompositeBases(() => hasFusedBasis(kernel)), `${family}: withCompositeBases turns it off`);
      layerEqualsComposite(family);
    });
});

test('the wavelet kernels use the constants of bases/wavelets.ts', () => {
  const p = rbfParams([0], 1);
  const out = new Float32Array(1);
  waveletForward(Float32Array.of(0), WAVELET_KINDS.mexicanHat, p, out);
  assert.equal(out[0], Math.fround(MEXICAN_HAT_SCALE), 'Mexican hat at its centre');
  waveletForward(Float32Array.of(0.5), WAVELET_KINDS.morlet, p, out);
  assert.equal(out[0], Math.fround(Math.cos(MORLET_OMEGA * 0.5) * Math.exp(-0.125)), 'Morlet at t = 0.5');
});

describe('fused elementwise bases on cpu', () => {
  before(async () => {
    await initBackend({ env: { CONVKAN_BACKEND: 'cpu' } });
  });
  for (const c of cases()) test(`${c.name}: fused == composite (values, gradients), no leaks`, () => fusedEqualsComposite(c, 'cpu'));
  for (const family of LAYER_FAMILIES)
    test(`BasisConvKAN2D ${family}: fused == composite (output, input and weight gradients)`, () => {
      layerEqualsComposite(family);
    });

  test('central differences agree with the fused gradients', () => {
    for (const c of cases()) {
      const xs = [-1.3, -0.23, 0.37, 1.1]; // off the support edges, where reluKan's second derivative jumps
      tf.tidy(() => {
        const w = tf.randomNormal([1, c.K], 0, 1, 'float32', 2);
        const f = (v: tf.Tensor) => tf.sum(tf.mul(c.fused(v)!, w));
        const g = tf.grad(f)(tf.tensor1d(xs)).dataSync();
        xs.forEach((v, i) => {
          const h = 2e-3;
          const num = ((f(tf.tensor1d([v + h])).dataSync()[0] as number) - (f(tf.tensor1d([v - h])).dataSync()[0] as number)) / (2 * h);
          assert.ok(
            Math.abs((g[i] as number) - num) < 2e-2 * Math.max(1, Math.abs(num)),
            `${c.name}, x=${v}: fused ${g[i]}, numeric ${num}`,
          );
        });
      });
    }
  });
});
