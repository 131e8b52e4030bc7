// B-spline basis of every input feature, exactly as efficient-kan's KANLinear.b_splines computes it:
// the order-0 indicator (t_j <= x < t_{j+1}) raised to `order` by the Cox–de Boor recursion.
// On cpu and wasm a fused kernel computes it (bsplineKernels.ts); elsewhere the composite below.
import * as tf from '@tensorflow/tfjs';
import { BSPLINE_BASIS_KERNEL, hasFusedBsplineKernel, registerBsplineKernels, type BsplineAttrs } from './bsplineKernels';

export interface BsplineBasisOptions {
  /** Put SiLU(x) before the bases of each feature (index f·(nb+1)), the base branch of a KAN layer. */
  withSilu?: boolean;
  /** 'auto' (fused where available), or force one implementation (tests, benchmarks). */
  impl?: 'auto' | 'fused' | 'composite';
}

/**
 * x: [..., F], knots: [F, gridSize + 2·order + 1] → [..., F·nb] with nb = gridSize + order,
 * basis j of feature f at index f·nb + j. With withSilu: [..., F·(nb+1)], SiLU(x_f) at f·(nb+1)
 * and basis j at f·(nb+1) + 1 + j. Differentiable w.r.t. x (not w.r.t. the knots).
 */
export function bsplineBasis(x: tf.Tensor, knots: tf.Tensor2D, order: number, opts: BsplineBasisOptions = {}): tf.Tensor {
  checkBsplineArgs(x, knots, order);
  const withSilu = opts.withSilu ?? false;
  const impl = opts.impl ?? 'auto';
  registerBsplineKernels();
  const fused = impl === 'fused' || (impl === 'auto' && hasFusedBsplineKernel());
  if (impl === 'fused' && !hasFusedBsplineKernel()) {
    throw new Error(`Error in bsplineBasis: impl 'fused' needs backend cpu or wasm, but the backend is '${tf.getBackend()}'.`);
  }
  if (!fused) return bsplineBasisComposite(x, knots, order, withSilu);
  return tf.tidy(() => {
    const xf = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    const kf = knots.dtype === 'float32' ? knots : tf.cast(knots, 'float32');
    const attrs: BsplineAttrs = { order, withSilu };
    return tf.engine().runKernel(BSPLINE_BASIS_KERNEL, { x: xf, knots: kf }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  });
}

/** The reference implementation out of plain tfjs ops; runs (and differentiates) on any backend. */
export function bsplineBasisComposite(x: tf.Tensor, knots: tf.Tensor2D, order: number, withSilu = false): tf.Tensor {
  return tf.tidy(() => {
    const [F, K] = knots.shape;
    const xe = tf.expandDims(x, -1); // [..., F, 1]
    const t = (from: number, to: number) => tf.slice(knots, [0, from], [F, to - from]); // [F, to-from]
    // (t_j <= x) & (x < t_{j+1}) as step(t_{j+1} - x) - step(t_j - x), step(v) = [v > 0]: equal for
    // non-decreasing knots, and unlike logicalAnd it has a (zero) gradient, so tf.grad passes through.
    const above = tf.step(tf.sub(knots, xe)); // [..., F, K]: [x < t_j]
    let bases: tf.Tensor = tf.sub(sliceLast(above, 1, K - 1), sliceLast(above, 0, K - 1)); // [..., F, K-1]
    for (let k = 1; k <= order; k++) {
      const n = K - 1 - k; // number of bases of order k
      const left = tf.div(tf.sub(xe, t(0, n)), tf.sub(t(k, k + n), t(0, n))); // (x - t_j) / (t_{j+k} - t_j)
      // (t_{j+k+1} - x) / (t_{j+k+1} - t_{j+1})
      const right = tf.div(tf.sub(t(k + 1, k + 1 + n), xe), tf.sub(t(k + 1, k + 1 + n), t(1, 1 + n)));
      bases = tf.add(tf.mul(left, sliceLast(bases, 0, n)), tf.mul(right, sliceLast(bases, 1, n))); // [..., F, n]
    }
    const nb = K - 1 - order;
    if (withSilu) {
      bases = tf.concat([tf.mul(xe, tf.sigmoid(xe)), bases], -1); // [..., F, 1 + nb]
      return tf.reshape(bases, [...x.shape.slice(0, -1), F * (nb + 1)]);
    }
    return tf.reshape(bases, [...x.shape.slice(0, -1), F * nb]);
  });
}

function sliceLast(t: tf.Tensor, begin: number, size: number): tf.Tensor {
  const b = t.shape.map(() => 0);
  b[b.length - 1] = begin;
  const s = t.shape.map(() => -1);
  s[s.length - 1] = size;
  return tf.slice(t, b, s);
}

export function checkBsplineArgs(x: tf.Tensor, knots: tf.Tensor, order: number): void {
  if (!Number.isInteger(order) || order < 0)
    throw new Error(`Error in bsplineBasis: order must be a non-negative integer, but got ${order}.`);
  if (knots.rank !== 2)
    throw new Error(
      `Error in bsplineBasis: knots must be rank 2 [F, gridSize + 2·order + 1], but got rank ${knots.rank} (shape [${knots.shape}]).`,
    );
  if (x.rank < 1) throw new Error(`Error in bsplineBasis: x must have rank >= 1 [..., F], but got rank ${x.rank}.`);
  const F = knots.shape[0] as number;
  if (x.shape[x.rank - 1] !== F)
    throw new Error(
      `Error in bsplineBasis: last axis of x must equal the number of knot rows F = ${F}, ` +
        `but got ${x.shape[x.rank - 1]} (x shape [${x.shape}]).`,
    );
  if ((knots.shape[1] as number) < order + 2) {
    throw new Error(`Error in bsplineBasis: knots per feature must be at least order + 2 = ${order + 2}, but got ${knots.shape[1]}.`);
  }
}
