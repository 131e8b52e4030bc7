// Equally spaced centres over the grid range, shared by the families that place one shape at
// every grid point (rbf, wavelets).
import * as tf from '@tensorflow/tfjs';

/** gridSize equally spaced centres over [lo, hi] and their spacing. */
export function centres(gridSize: number, [lo, hi]: [number, number]): { c: number[]; h: number } {
  const h = (hi - lo) / (gridSize - 1);
  return { c: Array.from({ length: gridSize }, (_, j) => lo + j * h), h };
}

/** (x − c_j) / h for every centre: [..., F] → [..., F, K]. */
export function scaledOffsets(x: tf.Tensor, c: number[], h: number): tf.Tensor {
  return tf.tidy(() => tf.div(tf.sub(tf.expandDims(x, -1), tf.tensor1d(c)), h));
}

/** Centres need two points to have a spacing (bspline and reluKan count intervals, and need one). */
export const MIN_CENTRES = 2;
