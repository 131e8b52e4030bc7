// The forward pass shared by every basis ConvKAN layer, in the exact basis-then-convolve form:
// pad the input in the layer's mode, expand each padded value into its K basis values, run one
// 'valid' grouped convolution over the C·K expanded channels, and add the SiLU base branch.
// Padding comes first because φ(0) ≠ 0 for most bases: expanding before zero-padding would be
// wrong at the borders.
import * as tf from '@tensorflow/tfjs';
import { padInput } from '../conv/padInput';
import type { ConvGeometry } from '../conv/convGeometry';
import { groupedConv2d } from '../ops/groupedConv2d';
import { constantFirstConv2d, constantFirstRecurrence } from '../ops/constantFirstConv';
import { silu } from '../layers/kanMath';
import type { Basis } from './basis';

/**
 * x: [N, H, W, C] → [N, H', W', Cout].
 * basisKernel: [kH, kW, (C/G)·K, Cout], channel c·K + k of a group holding the weight of φ_k(x_c);
 * baseKernel: [kH, kW, C/G, Cout] or null (no base branch).
 */
export function basisConv2d(
  x: tf.Tensor4D,
  basis: Basis,
  g: ConvGeometry,
  groups: number,
  basisKernel: tf.Tensor4D,
  baseKernel: tf.Tensor4D | null,
): tf.Tensor4D {
  return tf.tidy(() => {
    const xp = padInput(x, g.padding, g.paddingMode); // [N, Hp, Wp, C]
    const opts = { strides: g.strides, dilations: g.dilation, groups };
    const recurrence = constantFirstRecurrence(basis); // P_0 ≡ 1 folded into a constant
    const y = recurrence
      ? constantFirstConv2d(xp, recurrence, basisKernel, opts)
      : groupedConv2d(basis.expand(xp) as tf.Tensor4D, basisKernel, opts); // [N, H', W', Cout] over φ(xp): [N, Hp, Wp, C·K]
    return baseKernel ? tf.add(y, groupedConv2d(silu(xp) as tf.Tensor4D, baseKernel, opts)) : y;
  });
}
