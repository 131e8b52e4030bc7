// Gaussian bumps over the grid (FastKAN).
import * as tf from '@tensorflow/tfjs';
import { defineFamily, gridSampleRange } from './basisFamily';
import { checkIntAtLeast } from './basisSettings';
import { centres, scaledOffsets, MIN_CENTRES } from './gridCentres';
import { rbfBasisFused } from '../ops/elementwiseBasis';

/** FastKAN: φ_j(x) = exp(−((x − c_j)/h)²), as a composite of tfjs ops (any backend). */
export function rbfBasis(x: tf.Tensor, gridSize: number, range: [number, number]): tf.Tensor {
  const { c, h } = centres(gridSize, range);
  return tf.tidy(() => tf.exp(tf.neg(tf.square(scaledOffsets(x, c, h)))));
}

export function rbfValues(x: number, gridSize: number, range: [number, number]): number[] {
  const { c, h } = centres(gridSize, range);
  return c.map((cj) => Math.exp(-(((x - cj) / h) ** 2)));
}

export const rbf = defineFamily({
  name: 'rbf',
  classStem: 'FastKAN',
  settings: ['gridSize', 'gridRange'],
  defaults: { gridSize: 8, gridRange: [-2, 2] }, // as FastKAN
  check: (o, given, context) => checkIntAtLeast(o, given, 'gridSize', MIN_CENTRES, context),
  size: (o) => o.gridSize,
  expand:
    ({ gridSize, gridRange }) =>
    (x) => {
      // the fused kernel (cpu, wasm: one pass, over the wasm threads) where it exists, else the composite
      const { c, h } = centres(gridSize, gridRange);
      return rbfBasisFused(x, c, h) ?? rbfBasis(x, gridSize, gridRange);
    },
  evaluate:
    ({ gridSize, gridRange }) =>
    (x) =>
      rbfValues(x, gridSize, gridRange),
  sampleRange: gridSampleRange,
  // FastKAN keeps its centres as a frozen parameter, rbf.grid.
  torchBuffers: ({ gridSize, gridRange }) => [
    { key: 'rbf.grid', holds: 'centres', values: Float32Array.from(centres(gridSize, gridRange).c) },
  ],
});
