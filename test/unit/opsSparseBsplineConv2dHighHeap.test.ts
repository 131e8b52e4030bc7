// The sparse B-spline kernel with its input above 2 GiB in the wasm heap (tfjs' memory grows to
// 4 GiB): a pointer ≥ 2^31 is negative as a signed i32, and a signed test once read every value of
// such an x as the zero border. Its own file (own process): it leaves the heap at 2.3 GB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../kernel/convkan/backend/initBackend';
import { bsplineBasis } from '../../kernel/convkan/ops/bsplineBasis';
import { groupedConv2d } from '../../kernel/convkan/ops/groupedConv2d';
import { sparseBsplineConv2d, sparseBsplineConvCalls } from '../../kernel/convkan/ops/sparseBsplineConv2d';
import { heapPointer, type WasmBackendLike } from '../../kernel/convkan/ops/wasm/basisWasm';
import { uniformKnots } from '../../kernel/convkan/bases/knots';

type Pair = [number, number];

test('an input above 2 GiB in the wasm heap gives the dense form’s output', async () => {
  const info = await initBackend({ prefer: 'wasm', env: { CONVKAN_WASM_THREADS: '1' } });
  assert.equal(info.name, 'wasm', `needs the wasm backend: ${info.reason}`);
  const filler = tf.fill([560_000_000], 1); // 2.24 GB below the tensors that follow
  try {
    tf.tidy(() => {
      const row = Array.from(uniformKnots(5, 3, [-1, 1]));
      const knots = tf.tensor2d([row, row]);
      const filter = tf.randomNormal([1, 1, 18, 8], 0, 1, 'float32', 1) as tf.Tensor4D;
      const x = tf.tensor4d([0.3, -0.5, 0.7, 0.1, 0.9, -0.9, 0.2, 0.4], [1, 2, 2, 2]);
      const pointer = heapPointer(tf.backend() as unknown as WasmBackendLike, x as unknown as tf.TensorInfo);
      assert.ok(pointer >= 2 ** 31, `x should lie above 2 GiB, but its pointer is ${pointer}`);
      const opts = {
        strides: [1, 1] as Pair,
        dilations: [1, 1] as Pair,
        groups: 1,
        padding: [
          [1, 0],
          [0, 1],
        ] as [Pair, Pair],
      };
      const calls = sparseBsplineConvCalls();
      const sparse = sparseBsplineConv2d(x, knots, filter, opts).dataSync();
      assert.equal(sparseBsplineConvCalls() - calls, 1, 'the sparse kernel ran');
      const padded = tf.pad(x, [
        [0, 0],
        [1, 0],
        [0, 1],
        [0, 0],
      ]);
      const valid = { strides: opts.strides, dilations: opts.dilations, groups: 1 };
      const dense = groupedConv2d(bsplineBasis(padded, knots, 3, { withSilu: true }) as tf.Tensor4D, filter, valid).dataSync();
      const worst = Math.max(...Array.from(sparse, (v, i) => Math.abs(v - dense[i]!)));
      assert.ok(worst < 1e-5, `sparse and dense differ by ${worst}`);
    });
  } finally {
    filler.dispose();
  }
});
