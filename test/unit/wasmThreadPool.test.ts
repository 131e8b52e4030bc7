// The wasm kernels' thread pool (ops/wasm/wasmThreadPool.ts) on the threaded wasm build with 4 threads:
// the filter gradient split over threads equals the single-threaded one bit for bit (and the float64
// sum) with strides, dilations and padding; fewer taps than threads; ranges cover [0, count) once;
// the basis kernels split equal one call bit for bit; a worker's trap comes back as an Error
// naming the export and the range (and the pool keeps working);
// bad arguments are named; nothing leaks; a program that used the pool exits by itself; with 1 thread it is one main-thread call.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import { conv2dFilterGradWasm } from '../../kernel/convkan/ops/conv2dFilterGradWasm';
import { bsplineBasis } from '../../kernel/convkan/ops/bsplineBasis';
import { polynomialBasis } from '../../kernel/convkan/ops/polynomialBasis';
import { uniformKnots } from '../../kernel/convkan/bases/knots';
import { chebyshevCoefficients } from '../../kernel/convkan/bases/chebyshev';
import { heapPointer, wasmMemoryOf, type WasmBackendLike } from '../../kernel/convkan/ops/wasm/basisWasm';
import {
  MIN_MACS_PER_THREAD,
  parallelFor,
  parallelForStats,
  wasmThreadCount,
  withSerialParallelFor,
} from '../../kernel/convkan/ops/wasm/wasmThreadPool';
import { dyShapeOf, float64FilterGrad, randomArray, type FilterGradCase } from './convCases';

type Case = FilterGradCase;
// every case has at least MIN_MACS_PER_THREAD multiply-adds per tap, so each tap may go to its own thread
const CASES: Case[] = [
  {
    name: 'stride 2×1, dilation 1×2, uneven padding',
    x: [2, 17, 15, 20],
    f: [3, 3, 20, 64],
    s: [2, 1],
    d: [1, 2],
    p: [
      [1, 2],
      [2, 1],
    ],
  },
  {
    name: 'padding wider than some taps reach (taps that read nothing)',
    x: [3, 12, 12, 16],
    f: [3, 3, 16, 64],
    s: [1, 1],
    d: [2, 2],
    p: [
      [5, 3],
      [3, 6],
    ],
  },
  {
    name: '1×3 filter: 3 taps for 4 threads',
    x: [4, 16, 16, 8],
    f: [1, 3, 8, 64],
    s: [1, 1],
    d: [1, 3],
    p: [
      [0, 0],
      [3, 3],
    ],
  },
  {
    name: 'stride 2×3, odd input channels',
    x: [4, 19, 25, 13],
    f: [2, 3, 13, 64],
    s: [2, 3],
    d: [1, 1],
    p: [
      [0, 1],
      [1, 1],
    ],
  },
];

function backend(): WasmBackendLike {
  return tf.backend() as unknown as WasmBackendLike;
}

function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) assert.fail(`${what}[${i}]: threaded ${a[i]}, single-threaded ${b[i]}`);
}

describe('wasm thread pool (4 threads)', () => {
  before(async () => {
    const info = await initBackend({ env: { CONVKAN_BACKEND: 'wasm', CONVKAN_WASM_THREADS: '4' } });
    assert.equal(info.label, 'wasm (SIMD, 4 threads)', `the threaded wasm build should start: ${info.reason}`);
    assert.equal(wasmThreadCount(backend()), 4, 'the backend reports 4 threads');
  });

  for (const c of CASES) {
    test(`filter gradient, ${c.name}: threaded equals single-threaded bit for bit, and the float64 sum`, () => {
      const dyShape = dyShapeOf(c);
      const [, OH, OW] = dyShape;
      assert.ok(c.x[0] * OH * OW * c.f[2] * c.f[3] >= MIN_MACS_PER_THREAD, `${c.name}: a tap is big enough to get a thread`);
      const x = randomArray(
        c.x.reduce((a, b) => a * b),
        1,
      );
      const dy = randomArray(
        dyShape.reduce((a, b) => a * b),
        2,
      );
      const tensors = tf.memory().numTensors;
      const before = parallelForStats();
      const run = () =>
        tf.tidy(() => conv2dFilterGradWasm(tf.tensor4d(x, c.x), tf.tensor4d(dy, dyShape), c.f, c.s, c.d, c.p).dataSync() as Float32Array);
      const threaded = run();
      const single = withSerialParallelFor(run);
      const after = parallelForStats();
      assert.equal(after.parallelCalls - before.parallelCalls, 1, `${c.name}: one call ran split across threads`);
      assert.equal(after.serialCalls - before.serialCalls, 1, `${c.name}: one call ran on the main thread alone`);
      sameBits(threaded, single, c.name);
      const want = float64FilterGrad(c, x, dy, dyShape);
      let scale = 0;
      for (const v of want) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < want.length; i++) {
        const e = want[i] as number;
        if (!(Math.abs((threaded[i] as number) - e) <= 1e-4 * Math.max(Math.abs(e), scale * 1e-2)))
          assert.fail(`${c.name}[${i}]: expected ${e} (float64 sum), got ${threaded[i]}`);
      }
      assert.equal(tf.memory().numTensors, tensors, `${c.name}: no tensor leaks`);
    });
  }

  test('a small filter gradient (taps below MIN_MACS_PER_THREAD) runs on the main thread alone', () => {
    const before = parallelForStats();
    const g = tf.tidy(() =>
      conv2dFilterGradWasm(
        tf.ones([1, 4, 4, 2]),
        tf.ones([1, 2, 2, 8]),
        [3, 3, 2, 8],
        [1, 1],
        [1, 1],
        [
          [0, 0],
          [0, 0],
        ],
      ),
    );
    assert.deepEqual(Array.from(g.dataSync().slice(0, 2)), [4, 4], 'every tap of ones sums 2·2 ones');
    g.dispose();
    const after = parallelForStats();
    assert.equal(after.parallelCalls, before.parallelCalls, 'no call split across threads');
    assert.equal(after.serialCalls - before.serialCalls, 1, 'one call on the main thread');
  });

  /** x, dy, out tensors and the export's arguments for taps of a [kH, 1] filter on a 1×1 image, 4 in, 8 out channels. */
  function tinyTaps(kH: number, dH: number, H: number): { ts: tf.Tensor[]; args: number[] } {
    const x = tf.tensor4d(randomArray(4, 3), [1, 1, 1, 4]);
    const dy = tf.tensor4d(randomArray(8, 4), [1, 1, 1, 8]);
    const out = tf.fill([kH, 4, 8], NaN);
    const b = backend();
    const args = [heapPointer(b, x), heapPointer(b, dy), heapPointer(b, out), 1, H, 1, 4, 1, 1, 8, 1, dH, 1, 0, 0, 1, 1];
    return { ts: [x, dy, out], args };
  }

  test('the basis kernels (B-spline, recurrence polynomials) split across threads equal one call bit for bit', () => {
    tf.tidy(() => {
      const x = tf.mul(tf.randomNormal([40000, 8], 0, 1, 'float32', 3), 1.5); // 320,000 values: 4 ranges
      const row = Array.from(uniformKnots(5, 3, [-1, 1]));
      const knots = tf.tensor2d(Array.from({ length: 8 }, () => row));
      const dy = tf.randomNormal([40000, 8 * 9], 0, 1, 'float32', 4);
      const coeffs = chebyshevCoefficients(3);
      const runAll = () => {
        const basis = bsplineBasis(x, knots, 3, { withSilu: true });
        const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(bsplineBasis(v, knots, 3, { withSilu: true }), dy)))(x);
        const poly = polynomialBasis(x, coeffs)!;
        const dpoly = tf.grad((v: tf.Tensor) => tf.sum(tf.square(polynomialBasis(v, coeffs)!)))(x);
        return [basis, dx, poly, dpoly].map((t) => t.dataSync());
      };
      const before = parallelForStats();
      const threaded = runAll();
      const after = parallelForStats();
      // tf.grad runs each forward again: 3 forward + 1 backward calls per family
      assert.equal(after.parallelCalls - before.parallelCalls, 6, 'every B-spline and polynomial call split across threads');
      const serial = withSerialParallelFor(runAll);
      threaded.forEach((values, k) =>
        assert.ok(
          values.every((v, i) => Object.is(v, serial[k]![i])),
          `result ${k} (basis, dx, polynomials, their dx) is the same float everywhere`,
        ),
      );
    });
  });

  test('fewer items than threads: each range once, the same numbers as one call', () => {
    const tensors = tf.memory().numTensors;
    // 2 taps of a 2×1 filter, dilation 0 rows: both taps read x[0, 0, 0, :] (H = 1), so both slices are x ⊗ dy
    const { ts, args } = tinyTaps(2, 0, 1);
    const before = parallelForStats();
    parallelFor(backend(), 'conv2dFilterGradTaps', args, 2, 1);
    assert.equal(parallelForStats().parallelCalls - before.parallelCalls, 1, '2 items, minChunk 1: split over 2 of the 4 threads');
    const got = ts[2]!.dataSync() as Float32Array;
    const x = ts[0]!.dataSync();
    const dy = ts[1]!.dataSync();
    for (let t = 0; t < 2; t++)
      for (let ci = 0; ci < 4; ci++)
        for (let co = 0; co < 8; co++)
          assert.equal(got[(t * 4 + ci) * 8 + co], Math.fround((x[ci] as number) * (dy[co] as number)), `tap ${t} [${ci}, ${co}]`);
    tf.dispose(ts);
    assert.equal(tf.memory().numTensors, tensors, 'no tensor leaks');
  });

  test("a worker's trap is an Error naming the export, the worker and its range; the pool keeps working", () => {
    const b = backend();
    const heapBytes = wasmMemoryOf(b)!.buffer.byteLength;
    // tap 1 reads x at row dH, past the end of the heap (a trap); tap 0 reads row 0 (fine). Main thread: [0, 1), worker 1: [1, 2).
    const dH = Math.floor(heapBytes / 16) + 1024;
    assert.ok(dH * 16 < 2 ** 31, `heap of ${heapBytes} bytes: the bad row's offset stays a positive i32`);
    const { ts, args } = tinyTaps(2, dH, dH + 1);
    assert.throws(
      () => parallelFor(b, 'conv2dFilterGradTaps', args, 2, 1),
      (e: Error) => {
        assert.match(
          e.message,
          /^parallelFor: conv2dFilterGradTaps failed on worker 1 of 3 for \[1, 2\): RuntimeError: memory access out of bounds/,
        );
        return true;
      },
      'the worker trap surfaces on the main thread',
    );
    assert.throws(
      () => withSerialParallelFor(() => parallelFor(b, 'conv2dFilterGradTaps', args, 2, 1)),
      /^Error: parallelFor: conv2dFilterGradTaps failed on the main thread for \[0, 2\): RuntimeError: memory access out of bounds/,
      'the same call on the main thread alone names the main thread',
    );
    tf.dispose(ts);
    // the pool still answers afterwards
    const { ts: ok, args: okArgs } = tinyTaps(2, 0, 1);
    const before = parallelForStats();
    parallelFor(b, 'conv2dFilterGradTaps', okArgs, 2, 1);
    assert.equal(parallelForStats().parallelCalls - before.parallelCalls, 1, 'the next call is split across threads again');
    const got = ok[2]!.dataSync();
    assert.ok(
      got.every((v) => Number.isFinite(v)),
      'every slice written after the failure',
    );
    tf.dispose(ok);
  });

  test('bad arguments are named', () => {
    const b = backend();
    assert.throws(
      () => parallelFor(b, 'conv2dFilterGradTaps', [1.5], 4),
      /parallelFor\(conv2dFilterGradTaps\): expected at most 32 int32 arguments, but got \[1\.5\]/,
    );
    assert.throws(
      () => parallelFor(b, 'conv2dFilterGradTaps', [], 4, 0),
      /count and minChunk must be integers \(minChunk ≥ 1\), but got 4 and 0/,
    );
    const before = parallelForStats();
    parallelFor(b, 'conv2dFilterGradTaps', [], 0);
    assert.deepEqual(parallelForStats(), before, 'count 0 calls nothing');
  });
});

/** Runs a filter gradient of ones with CONVKAN_WASM_THREADS=threads in a child; answers its exit and output. */
function childFilterGrad(threads: number): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } {
  const script = [
    "const tf = require('@tensorflow/tfjs');",
    "const { initBackend } = require('./kernel/convkan/backend/initBackend');",
    "const { conv2dFilterGradWasm } = require('./kernel/convkan/ops/conv2dFilterGradWasm');",
    "const { parallelForStats } = require('./kernel/convkan/ops/wasm/wasmThreadPool');",
    `initBackend({ env: { CONVKAN_BACKEND: 'wasm', CONVKAN_WASM_THREADS: '${threads}' } }).then((info) => {`,
    '  const pad = [[1, 1], [1, 1]];',
    '  const g = conv2dFilterGradWasm(tf.ones([2, 16, 16, 32]), tf.ones([2, 16, 16, 32]), [3, 3, 32, 32], [1, 1], [1, 1], pad);',
    '  const { parallelCalls, serialCalls } = parallelForStats();',
    '  console.log(info.label, g.dataSync()[4 * 32 * 32], parallelCalls, serialCalls);',
    '});',
  ].join('\n');
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: path.resolve(__dirname, '..', '..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('wasm thread pool in a child process', () => {
  test('a program whose filter gradient ran on 2 threads exits by itself and prints nothing of the workers', () => {
    const r = childFilterGrad(2);
    assert.equal(r.signal, null, `the child did not exit on its own (killed by ${r.signal}); stderr: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    // the centre tap of ones: 2 images × 16 × 16 pixels; one call split across the 2 threads
    assert.equal(r.stdout, 'wasm (SIMD, 2 threads) 512 1 0\n', `child stdout: ${JSON.stringify(r.stdout)}`);
  });

  test('with 1 thread (the single-threaded build, a plain memory) it is one call on the main thread', () => {
    const r = childFilterGrad(1);
    assert.equal(r.signal, null, `the child did not exit on its own (killed by ${r.signal}); stderr: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'wasm (SIMD, 1 thread) 512 0 1\n', `child stdout: ${JSON.stringify(r.stdout)}`);
  });
});
