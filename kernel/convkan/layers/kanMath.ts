// The math both KAN layers share, in efficient-kan's parametrization with groups:
//   out[co] = Σ_i base[i,co]·silu(x_i) + Σ_i scaler[i,co]·Σ_j spline[i,j,co]·B_j(x_i)
// over the input features i = (kernel row, kernel column, channel) of co's group, weights in the
// HWIO layout of weightLayout.ts. KANLinear is the 1×1, one-group case.
import * as tf from '@tensorflow/tfjs';
import { bsplineBasis } from '../ops/bsplineBasis';

export interface KanTensors {
  /** [kH, kW, Cin, nKnots] knots per input feature */
  knots: tf.Tensor4D;
  /** [kH, kW, Cin/G, Cout] */
  base: tf.Tensor4D;
  /** [kH, kW, Cin/G, K, Cout] */
  spline: tf.Tensor5D;
  /** [kH, kW, Cin/G, Cout], or null without a standalone spline scaler */
  scaler: tf.Tensor4D | null;
}

/** spline·scaler: efficient-kan's scaled_spline_weight, [kH, kW, Cin/G, K, Cout]. */
export function scaledSpline(w: Pick<KanTensors, 'spline' | 'scaler'>): tf.Tensor5D {
  return w.scaler ? tf.mul(w.spline, tf.expandDims(w.scaler, 3)) : w.spline;
}

/**
 * [kH, kW, Cin/G, K+1, Cout]: per edge the base weight (t = 0) then the scaled spline weights —
 * the weights of the expanded features [silu(x), B_0(x) … B_{K−1}(x)] of every input feature.
 */
export function edgeWeights(w: KanTensors): tf.Tensor5D {
  return tf.concat([tf.expandDims(w.base, 3), scaledSpline(w)], 3) as tf.Tensor5D;
}

/**
 * features: [M, kH·kW·Cin] ordered (kernel row, kernel column, channel) → [M, Cout]: the flattened
 * expanded features times the flattened edge weights (the (M, in, out) tensor is never built).
 * With groups, each group's features are a contiguous channel block within every tap.
 */
export function kanLinearForward(features: tf.Tensor2D, w: KanTensors, order: number, groups: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [kh, kw, cin, nk] = w.knots.shape;
    const [, , cg, t, cout] = edgeWeights(w).shape;
    const m = features.shape[0];
    const taps = kh * kw;
    const expanded = bsplineBasis(features, tf.reshape(w.knots, [taps * cin, nk]) as tf.Tensor2D, order, { withSilu: true }); // [M, taps·Cin·(K+1)]
    const weights = edgeWeights(w); // [kH, kW, Cg, K+1, Cout]
    if (groups === 1) return tf.matMul(expanded as tf.Tensor2D, tf.reshape(weights, [taps * cin * t, cout]) as tf.Tensor2D);
    const og = cout / groups;
    const perTap = tf.reshape(expanded, [m, taps, cin * t]);
    const outs: tf.Tensor2D[] = [];
    for (let g = 0; g < groups; g++) {
      const xg = tf.reshape(tf.slice(perTap, [0, 0, g * cg * t], [m, taps, cg * t]), [m, taps * cg * t]) as tf.Tensor2D;
      const wg = tf.reshape(tf.slice(weights, [0, 0, 0, 0, g * og], [kh, kw, cg, t, og]), [taps * cg * t, og]) as tf.Tensor2D;
      outs.push(tf.matMul(xg, wg)); // [M, Og]
    }
    return tf.concat(outs, 1) as tf.Tensor2D; // [M, Cout]
  });
}

/**
 * efficient-kan's regularization_loss: "a dumb simulation of the original L1 regularization"
 * (their words) — mean |spline weight| per edge, summed, plus the entropy of its distribution.
 * spline: [..., K, out] (the basis axis second to last, as in our layout).
 */
export function kanRegularizationLoss(spline: tf.Tensor, regActivation: number, regEntropy: number): tf.Scalar {
  return tf.tidy(() => {
    const l1 = tf.mean(tf.abs(spline), spline.rank - 2); // one value per edge
    const total = tf.sum(l1);
    const p = tf.div(l1, total);
    const entropy = tf.neg(tf.sum(tf.mul(p, tf.log(p))));
    return tf.add(tf.mul(regActivation, total), tf.mul(regEntropy, entropy)) as tf.Scalar;
  });
}
