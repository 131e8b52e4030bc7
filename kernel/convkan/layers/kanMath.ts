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

export function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

/** spline·scaler: efficient-kan's scaled_spline_weight, [G, Og, inDim, nBases]. */
export function scaledSpline(w: Pick<KanTensors, 'spline' | 'scaler'>): tf.Tensor4D {
  return w.scaler ? tf.mul(w.spline, tf.expandDims(w.scaler, -1)) : w.spline;
}

/** features: [M, G·inDim] → [M, G·Og]: the flattened-bases matmul form (the (M, in, out) tensor is never built). */
export function kanLinearForward(features: tf.Tensor2D, w: KanTensors, order: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [G, Og, inDim] = w.base.shape;
    const nb = w.spline.shape[3];
    const m = features.shape[0];
    const act = silu(features); // [M, G·inDim]
    const bases = bsplineBasis(features, w.knots, order); // [M, G·inDim·nb]
    const coeff = scaledSpline(w); // [G, Og, inDim, nb]
    if (G === 1) {
      const baseOut = tf.matMul(act as tf.Tensor2D, tf.reshape(w.base, [Og, inDim]) as tf.Tensor2D, false, true); // [M, Og]
      const splineOut = tf.matMul(bases as tf.Tensor2D, tf.reshape(coeff, [Og, inDim * nb]) as tf.Tensor2D, false, true); // [M, Og]
      return tf.add(baseOut, splineOut);
    }
    const perGroup = (t: tf.Tensor, width: number) => tf.transpose(tf.reshape(t, [m, G, width]), [1, 0, 2]) as tf.Tensor3D; // [G, M, width]
    const baseOut = tf.matMul(perGroup(act, inDim), w.base, false, true); // [G, M, Og]
    const splineOut = tf.matMul(perGroup(bases, inDim * nb), tf.reshape(coeff, [G, Og, inDim * nb]) as tf.Tensor3D, false, true); // [G, M, Og]
    return tf.reshape(tf.transpose(tf.add(baseOut, splineOut), [1, 0, 2]), [m, G * Og]); // [M, G·Og]
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
