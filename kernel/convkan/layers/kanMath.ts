// The math both KAN layers share, in efficient-kan's parametrization with groups:
//   out[g·Og + o] = Σ_i base[g,o,i]·silu(x_i) + Σ_i scaler[g,o,i]·Σ_j spline[g,o,i,j]·B_j(x_i)
// over the inDim features i of group g. KANLinear is the case groups = 1.
import * as tf from '@tensorflow/tfjs';
import { bsplineBasis } from '../ops/bsplineBasis';

export interface KanTensors {
  /** [G·inDim, nKnots] knots per feature */
  knots: tf.Tensor2D;
  /** [G, Og, inDim] */
  base: tf.Tensor3D;
  /** [G, Og, inDim, nBases] */
  spline: tf.Tensor4D;
  /** [G, Og, inDim], or null without a standalone spline scaler */
  scaler: tf.Tensor3D | null;
}

/** spline·scaler: efficient-kan's scaled_spline_weight, [G, Og, inDim, nBases]. */
export function scaledSpline(w: Pick<KanTensors, 'spline' | 'scaler'>): tf.Tensor4D {
  return w.scaler ? tf.mul(w.spline, tf.expandDims(w.scaler, -1)) : w.spline;
}

/**
 * [G, Og, inDim, K+1]: per edge the base weight (t = 0) then the scaled spline weights — the
 * weights of the expanded features [silu(x), B_0(x) … B_{K−1}(x)] of every input feature.
 */
export function edgeWeights(w: KanTensors): tf.Tensor4D {
  return tf.concat([tf.expandDims(w.base, -1), scaledSpline(w)], 3) as tf.Tensor4D;
}

/** features: [M, G·inDim] → [M, G·Og]: one matmul over the flattened expanded features (the (M, in, out) tensor is never built). */
export function kanLinearForward(features: tf.Tensor2D, w: KanTensors, order: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [G, Og, inDim] = w.base.shape;
    const width = inDim * (w.spline.shape[3] + 1);
    const m = features.shape[0];
    const expanded = bsplineBasis(features, w.knots, order, { withSilu: true }); // [M, G·inDim·(K+1)], feature-major
    const weights = tf.reshape(edgeWeights(w), [G, Og, width]);
    if (G === 1) return tf.matMul(expanded as tf.Tensor2D, tf.reshape(weights, [Og, width]) as tf.Tensor2D, false, true); // [M, Og]
    const perGroup = tf.transpose(tf.reshape(expanded, [m, G, width]), [1, 0, 2]) as tf.Tensor3D; // [G, M, width]
    const out = tf.matMul(perGroup, weights as tf.Tensor3D, false, true); // [G, M, Og]
    return tf.reshape(tf.transpose(out, [1, 0, 2]), [m, G * Og]) as tf.Tensor2D; // [M, G·Og]
  });
}

/**
 * efficient-kan's regularization_loss: "a dumb simulation of the original L1 regularization"
 * (their words) — mean |spline weight| per edge, summed, plus the entropy of its distribution.
 */
export function kanRegularizationLoss(spline: tf.Tensor, regActivation: number, regEntropy: number): tf.Scalar {
  return tf.tidy(() => {
    const l1 = tf.mean(tf.abs(spline), -1); // one value per edge
    const total = tf.sum(l1);
    const p = tf.div(l1, total);
    const entropy = tf.neg(tf.sum(tf.mul(p, tf.log(p))));
    return tf.add(tf.mul(regActivation, total), tf.mul(regEntropy, entropy)) as tf.Scalar;
  });
}
