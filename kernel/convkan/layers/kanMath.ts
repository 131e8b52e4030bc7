// The math both KAN layers share, in efficient-kan's parametrization with groups:
//   out[co] = Σ_i base[i,co]·silu(x_i) + Σ_i scaler[i,co]·Σ_j spline[i,j,co]·B_j(x_i)
// over the input features i = (kernel row, kernel column, channel) of co's group, weights in the
// HWIO layout of weightLayout.ts. KANLinear is the 1×1, one-group case.
import * as tf from '@tensorflow/tfjs';
import { bsplineBasis } from '../ops/bsplineBasis';
import { matMulFastGrad } from '../linalg/matMulFastGrad';

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

/** SiLU(x) = x·σ(x), efficient-kan's base activation (every KAN layer's base branch). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/** SiLU of one number, for references and plots. */
export const siluValue = (x: number): number => x / (1 + Math.exp(-x));

/** spline·scaler: efficient-kan's scaled_spline_weight, [kH, kW, Cin/G, K, Cout]. */
export function scaledSpline(w: Pick<KanTensors, 'spline' | 'scaler'>): tf.Tensor5D {
  return w.scaler ? tf.mul(w.spline, tf.expandDims(w.scaler, 3)) : w.spline;
}

/**
 * features: [M, kH·kW·Cin] ordered (kernel row, kernel column, channel) → [M, Cout]:
 * silu(features)·base + bases(features)·scaledSpline, each a single matmul over flattened weights
 * (the (M, in, out) tensor is never built). With groups, each group's features are a contiguous
 * channel block within every tap, multiplied by that group's output columns.
 */
export function kanLinearForward(features: tf.Tensor2D, w: KanTensors, order: number, groups: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [kh, kw, cin, nk] = w.knots.shape;
    const [, , cg, nb, cout] = w.spline.shape;
    const taps = kh * kw;
    const m = features.shape[0];
    const act = silu(features); // [M, taps·Cin]
    const bases = bsplineBasis(features, tf.reshape(w.knots, [taps * cin, nk]) as tf.Tensor2D, order); // [M, taps·Cin·K]
    const spline = scaledSpline(w); // [kH, kW, Cg, K, Cout]
    if (groups === 1) {
      const baseOut = matMulFastGrad(act as tf.Tensor2D, tf.reshape(w.base, [taps * cin, cout]) as tf.Tensor2D);
      return tf.add(baseOut, matMulFastGrad(bases as tf.Tensor2D, tf.reshape(spline, [taps * cin * nb, cout]) as tf.Tensor2D));
    }
    const og = cout / groups;
    const actTaps = tf.reshape(act, [m, taps, cin]);
    const basesTaps = tf.reshape(bases, [m, taps, cin * nb]);
    const outs: tf.Tensor2D[] = [];
    for (let g = 0; g < groups; g++) {
      const a = tf.reshape(tf.slice(actTaps, [0, 0, g * cg], [m, taps, cg]), [m, taps * cg]) as tf.Tensor2D;
      const b = tf.reshape(tf.slice(basesTaps, [0, 0, g * cg * nb], [m, taps, cg * nb]), [m, taps * cg * nb]) as tf.Tensor2D;
      const wb = tf.reshape(tf.slice(w.base, [0, 0, 0, g * og], [kh, kw, cg, og]), [taps * cg, og]) as tf.Tensor2D;
      const ws = tf.reshape(tf.slice(spline, [0, 0, 0, 0, g * og], [kh, kw, cg, nb, og]), [taps * cg * nb, og]) as tf.Tensor2D;
      outs.push(tf.add(matMulFastGrad(a, wb), matMulFastGrad(b, ws))); // [M, Og]
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

/**
 * efficient-kan's regularization as a tfjs weight regularizer on spline_weight, so model.fit adds
 * it to the loss. Only apply() is called by tfjs-layers; the layer's own config carries the factors.
 */
export function kanSplineRegularizer(factors: {
  activation: number;
  entropy: number;
}): tf.serialization.Serializable & { apply(x: tf.Tensor): tf.Scalar } {
  return {
    apply: (x: tf.Tensor) => kanRegularizationLoss(x, factors.activation, factors.entropy),
    getClassName: () => 'KanSplineRegularizer',
    getConfig: () => ({ ...factors }),
  } as unknown as tf.serialization.Serializable & { apply(x: tf.Tensor): tf.Scalar };
}
