// Sampled edge functions of the variant layers: base + spline at each sample point is exactly what
// the layer computes for that single input, and the grouping picks the right (in, out) pairs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BasisKANLinear } from '../../kernel/convkan/variants/basisKanLinear';
import { BasisConvKAN2D } from '../../kernel/convkan/variants/basisConvKan2d';
import { sampleBasisEdgeFunctions } from '../../kernel/convkan/variants/edgeFunctions';
import { BASIS_NAMES } from '../../kernel/convkan/variants/basisOptions';

test('every basis: base + spline of the one edge of a 1 → 1 KANLinear equals the layer output', () => {
  for (const basis of BASIS_NAMES) {
    const layer = new BasisKANLinear({ basis, units: 1, seed: 2 });
    layer.build([null, 1]);
    const s = sampleBasisEdgeFunctions(layer, { points: 17 });
    assert.equal(s.functions.length, 1);
    const y = tf.tidy(() => (layer.apply(tf.tensor2d(s.x, [17, 1])) as tf.Tensor).dataSync());
    const f = s.functions[0];
    f.base.forEach((b, i) =>
      assert.ok(Math.abs(b + f.spline[i] - y[i]) < 1e-4 * (1 + Math.abs(y[i])), `${basis} at x = ${s.x[i]}: ${b + f.spline[i]} vs ${y[i]}`),
    );
    assert.equal(s.layer.basis, basis);
    assert.ok(f.importance > 0);
  }
});

test('a 1×1 conv edge equals the output channel; grouped 3×3 layers pair inputs with their group outputs', () => {
  const conv = new BasisConvKAN2D({ basis: 'legendre', filters: 2, kernelSize: 1, seed: 4 });
  conv.build([null, 1, 1, 1]);
  const s = sampleBasisEdgeFunctions(conv, { points: 9, range: [-2, 2] });
  const y = tf.tidy(() => (conv.apply(tf.tensor4d(s.x, [9, 1, 1, 1])) as tf.Tensor).arraySync() as number[][][][]);
  for (const f of s.functions) f.base.forEach((b, i) => assert.ok(Math.abs(b + f.spline[i] - y[i][0][0][f.out]) < 1e-4));
  assert.deepEqual(s.layer.gridRange, [-2, 2]);

  const grouped = new BasisConvKAN2D({ basis: 'rbf', filters: 4, kernelSize: 3, groups: 2, seed: 1 });
  grouped.build([null, 6, 6, 4]);
  const g = sampleBasisEdgeFunctions(grouped, { outChannels: [0, 3], inChannels: [0, 1, 2, 3] });
  // out 0 (group 0) sees inputs 0, 1; out 3 (group 1) sees 2, 3; 9 taps each
  assert.equal(g.functions.length, 2 * 2 * 9);
  assert.ok(g.functions.every((f) => (f.out === 0 ? f.in < 2 : f.in >= 2)));
  assert.deepEqual(
    g.layer.gridRange.map((v) => Math.round(v * 1e6) / 1e6),
    [-2.4, 2.4],
  );
  assert.throws(
    () => sampleBasisEdgeFunctions(grouped, { outChannels: [4] }),
    /outChannels must be channel indices in \[0, 4\), but got \[4\]/,
  );
  assert.throws(
    () => sampleBasisEdgeFunctions(new BasisKANLinear({ basis: 'rbf', units: 1, name: 'u' })),
    /BasisKANLinear 'u': layer must be built/,
  );
});
