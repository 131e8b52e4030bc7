// B-spline basis of every input feature, exactly as efficient-kan's KANLinear.b_splines computes it:
// the order-0 indicator (t_j <= x < t_{j+1}) raised to `order` by the Cox–de Boor recursion.
import * as tf from '@tensorflow/tfjs';

/**
 * x: [..., F], knots: [F, gridSize + 2·order + 1] → [..., F·(gridSize + order)],
 * where basis j of feature f sits at index f·(gridSize + order) + j. Differentiable w.r.t. x.
 */
export function bsplineBasis(x: tf.Tensor, knots: tf.Tensor2D, order: number): tf.Tensor {
  checkBsplineArgs(x, knots, order);
  return bsplineBasisComposite(x, knots, order);
}

/** The reference implementation out of plain tfjs ops; runs (and differentiates) on any backend. */
export function bsplineBasisComposite(x: tf.Tensor, knots: tf.Tensor2D, order: number): tf.Tensor {
  return tf.tidy(() => {
    const [F, K] = knots.shape;
    const xe = tf.expandDims(x, -1); // [..., F, 1]
    const t = (from: number, to: number) => tf.slice(knots, [0, from], [F, to - from]); // [F, to-from]
    let bases: tf.Tensor = tf.cast(tf.logicalAnd(tf.greaterEqual(xe, t(0, K - 1)), tf.less(xe, t(1, K))), 'float32'); // [..., F, K-1]
    for (let k = 1; k <= order; k++) {
      const n = K - 1 - k; // number of bases of order k
      const left = tf.div(tf.sub(xe, t(0, n)), tf.sub(t(k, k + n), t(0, n))); // (x - t_j) / (t_{j+k} - t_j)
      const right = tf.div(tf.sub(t(k + 1, k + 1 + n), xe), tf.sub(t(k + 1, k + 1 + n), t(1, 1 + n))); // (t_{j+k+1} - x) / (t_{j+k+1} - t_{j+1})
      const lo = sliceLast(bases, 0, n);
      const hi = sliceLast(bases, 1, n);
      bases = tf.add(tf.mul(left, lo), tf.mul(right, hi)); // [..., F, n]
    }
    const nb = K - 1 - order;
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
  if (!Number.isInteger(order) || order < 0) throw new Error(`Error in bsplineBasis: order must be a non-negative integer, but got ${order}.`);
  if (knots.rank !== 2) throw new Error(`Error in bsplineBasis: knots must be rank 2 [F, gridSize + 2·order + 1], but got rank ${knots.rank} (shape [${knots.shape}]).`);
  if (x.rank < 1) throw new Error(`Error in bsplineBasis: x must have rank >= 1 [..., F], but got rank ${x.rank}.`);
  const F = knots.shape[0] as number;
  if (x.shape[x.rank - 1] !== F) throw new Error(`Error in bsplineBasis: last axis of x must equal the number of knot rows F = ${F}, but got ${x.shape[x.rank - 1]} (x shape [${x.shape}]).`);
  if ((knots.shape[1] as number) < order + 2) {
    throw new Error(`Error in bsplineBasis: knots per feature must be at least order + 2 = ${order + 2}, but got ${knots.shape[1]}.`);
  }
}
