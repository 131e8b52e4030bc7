// Host-side B-splines and patches used by grid updates and inspection: the span-local evaluation
// equals the full Cox–de Boor recursion (also at knots and outside the grid), and host patches
// equal the tensor unfold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { bsplineValues, bsplineValuesLocal } from '../../kernel/convkan/bases/bsplineValues';
import { uniformKnots, adaptiveKnots } from '../../kernel/convkan/bases/knots';
import { extractPatches, extractPatchesHost } from '../../kernel/convkan/conv/extractPatches';

tf.setBackend('cpu');

test('span-local B-spline values are identical to the full recursion', () => {
  const sorted = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i) * 1.7).sort();
  const knotSets = [
    uniformKnots(5, 3, [-1, 1]),
    uniformKnots(7, 2, [-3, 0.5]),
    uniformKnots(3, 1, [0, 1]),
    adaptiveKnots(sorted, 5, 3, 0.01, 0.02),
  ];
  for (const knots of knotSets) {
    const nk = knots.length;
    for (const order of [1, 2, 3].filter((o) => nk - 1 - o >= 1)) {
      const nb = nk - 1 - order;
      const xs = [
        ...Array.from({ length: 301 }, (_, i) => knots[0] - 0.5 + ((knots[nk - 1] - knots[0] + 1) * i) / 300),
        ...knots,
        NaN,
        Infinity,
        -Infinity,
      ];
      const full = new Float64Array(nb);
      const local = new Float64Array(nb);
      const scratch = new Float64Array(order + 1);
      for (const x of xs) {
        bsplineValues(x, knots, 0, nk, order, full, 0);
        bsplineValuesLocal(x, knots, 0, nk, order, local, 0, scratch);
        for (let j = 0; j < nb; j++)
          assert.ok(
            Object.is(local[j], full[j]) || local[j] === full[j],
            `x = ${x}, order ${order}, basis ${j}: ${local[j]} vs ${full[j]}`,
          );
      }
    }
  }
});

test('host patches equal the tensor unfold (tap-major), with stride and dilation', () => {
  const shape: [number, number, number, number] = [2, 9, 10, 3];
  const x = tf.randomNormal(shape, 0, 1, 'float32', 3) as tf.Tensor4D;
  const want = tf.tidy(() => extractPatches(x, [3, 2], [2, 1], [1, 3], 'tapMajor').dataSync());
  const got = extractPatchesHost(x.dataSync(), shape, [3, 2], [2, 1], [1, 3]);
  assert.deepEqual(Array.from(got.data), Array.from(want));
  assert.equal(got.cols, 3 * 2 * 3);
  assert.equal(got.rows * got.cols, want.length);
  x.dispose();
});
