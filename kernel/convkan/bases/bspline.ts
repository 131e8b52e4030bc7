// B-splines of efficient-kan on a fixed uniform grid (no grid updates; the adaptive layer is
// ConvKAN2D), through ops/bsplineBasis (fused on cpu and wasm, with its gradient w.r.t. x).
import * as tf from '@tensorflow/tfjs';
import { defineFamily, gridSampleRange } from './basisFamily';
import { checkIntAtLeast } from './basisSettings';
import { uniformKnots, basisCount } from './knots';
import { bsplineValues } from './bsplineValues';
import { bsplineBasis } from '../ops/bsplineBasis';

export function fixedBsplineBasis(x: tf.Tensor, gridSize: number, order: number, range: [number, number]): tf.Tensor {
  const K = basisCount(gridSize, order);
  return tf.tidy(() => {
    const row = uniformKnots(gridSize, order, range);
    const knots = tf.tensor2d(Float32Array.from(row), [1, row.length]); // one feature: every value shares the knots
    const b = bsplineBasis(tf.reshape(x, [x.size, 1]), knots, order); // [M, K]
    return tf.reshape(b, [...x.shape, K]);
  });
}

export function fixedBsplineValues(x: number, gridSize: number, order: number, range: [number, number]): number[] {
  const knots = uniformKnots(gridSize, order, range);
  const out = new Float64Array(basisCount(gridSize, order));
  bsplineValues(x, knots, 0, knots.length, order, out, 0);
  return Array.from(out);
}

export const bspline = defineFamily({
  name: 'bspline',
  classStem: undefined, // the generic Basis* layers only; ConvKAN2D / KANLinear are its adaptive-grid layers
  settings: ['gridSize', 'gridRange', 'splineOrder'],
  // order 0 (piecewise constant) has no derivative to train through; ConvKAN2D asks the same
  check: (o, given, context) => checkIntAtLeast(o, given, 'splineOrder', 1, context),
  size: (o) => basisCount(o.gridSize, o.splineOrder),
  expand:
    ({ gridSize, splineOrder, gridRange }) =>
    (x) =>
      fixedBsplineBasis(x, gridSize, splineOrder, gridRange),
  evaluate:
    ({ gridSize, splineOrder, gridRange }) =>
    (x) =>
      fixedBsplineValues(x, gridSize, splineOrder, gridRange),
  sampleRange: gridSampleRange,
});
