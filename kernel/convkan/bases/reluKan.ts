// ReLU-KAN's squared ReLU bumps (Qiu et al. 2024).
import * as tf from '@tensorflow/tfjs';
import { defineFamily, gridSampleRange } from './basisFamily';
import { reluKanBasisFused } from '../ops/elementwiseBasis';

/**
 * R_i(x) = [ReLU(e_i − x)·ReLU(x − s_i)]²·16/(e_i − s_i)⁴ with s_i = lo + (i − k)·h,
 * e_i = s_i + (k + 1)·h, h = (hi − lo)/G, i = 0 … G + k − 1: bumps of height 1 at the middle of
 * their support (s_i, e_i).
 */
export function reluKanEdges(gridSize: number, order: number, [lo, hi]: [number, number]): { s: number[]; e: number[]; norm: number } {
  const h = (hi - lo) / gridSize;
  const s = Array.from({ length: gridSize + order }, (_, i) => lo + (i - order) * h);
  return { s, e: s.map((si) => si + (order + 1) * h), norm: 16 / ((order + 1) * h) ** 4 };
}

export function reluKanBasis(x: tf.Tensor, gridSize: number, order: number, range: [number, number]): tf.Tensor {
  const { s, e, norm } = reluKanEdges(gridSize, order, range);
  return tf.tidy(() => {
    const xe = tf.expandDims(x, -1);
    const r = tf.mul(tf.relu(tf.sub(tf.tensor1d(e), xe)), tf.relu(tf.sub(xe, tf.tensor1d(s))));
    return tf.mul(tf.square(r), norm);
  });
}

export function reluKanValues(x: number, gridSize: number, order: number, range: [number, number]): number[] {
  const { s, e, norm } = reluKanEdges(gridSize, order, range);
  return s.map((si, i) => (Math.max(0, e[i] - x) * Math.max(0, x - si)) ** 2 * norm);
}

export const reluKan = defineFamily({
  name: 'reluKan',
  classStem: 'ReLUKAN',
  settings: ['gridSize', 'gridRange', 'splineOrder'],
  size: (o) => o.gridSize + o.splineOrder,
  expand:
    ({ gridSize, splineOrder, gridRange }) =>
    (x) => {
      // the fused kernel (cpu, wasm) where it exists, else the composite of tfjs ops
      const { s, e, norm } = reluKanEdges(gridSize, splineOrder, gridRange);
      return reluKanBasisFused(x, s, e, norm) ?? reluKanBasis(x, gridSize, splineOrder, gridRange);
    },
  evaluate:
    ({ gridSize, splineOrder, gridRange }) =>
    (x) =>
      reluKanValues(x, gridSize, splineOrder, gridRange),
  sampleRange: gridSampleRange,
});
