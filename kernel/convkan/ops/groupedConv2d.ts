// Grouped 2-D convolution (NHWC, 'valid'), the one convolution every ConvKAN layer runs.
// tfjs' conv2d has no `groups` argument, so groups are split along the channel axis here.
import * as tf from '@tensorflow/tfjs';

export interface GroupedConv2dOptions {
  strides: [number, number];
  dilations: [number, number];
  groups: number;
}

/**
 * x: [N, H, W, Cin] (already padded), filter: [kH, kW, Cin/groups, Cout] → [N, H', W', Cout], 'valid'.
 * Group g reads input channels [g·Cin/G, (g+1)·Cin/G) and writes output channels [g·Cout/G, (g+1)·Cout/G).
 */
export function groupedConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, opts: GroupedConv2dOptions): tf.Tensor4D {
  const { strides, dilations, groups } = opts;
  checkGroupedConvArgs(x, filter, opts);
  if (groups === 1) return tf.conv2d(x, filter, strides, 'valid', 'NHWC', dilations) as tf.Tensor4D;
  return tf.tidy(() => {
    const xs = tf.split(x, groups, 3) as tf.Tensor4D[]; // G × [N, H, W, Cin/G]
    const fs = tf.split(filter, groups, 3) as tf.Tensor4D[]; // G × [kH, kW, Cin/G, Cout/G]
    const ys = xs.map((xg, g) => tf.conv2d(xg, fs[g] as tf.Tensor4D, strides, 'valid', 'NHWC', dilations));
    return tf.concat(ys, 3) as tf.Tensor4D; // [N, H', W', Cout]
  });
}

export function checkGroupedConvArgs(x: tf.Tensor, filter: tf.Tensor, opts: GroupedConv2dOptions): void {
  const { groups } = opts;
  if (x.rank !== 4) throw new Error(`Error in groupedConv2d: x must be rank 4 (NHWC), but got rank ${x.rank} (shape [${x.shape}]).`);
  if (filter.rank !== 4) {
    throw new Error(`Error in groupedConv2d: filter must be rank 4 [kH, kW, Cin/groups, Cout], but got rank ${filter.rank} (shape [${filter.shape}]).`);
  }
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`Error in groupedConv2d: groups must be a positive integer, but got ${groups}.`);
  const cin = x.shape[3] as number;
  const cout = filter.shape[3] as number;
  if (cin % groups !== 0) throw new Error(`Error in groupedConv2d: input channels (${cin}) must be divisible by groups (${groups}), but got remainder ${cin % groups}.`);
  if (cout % groups !== 0) throw new Error(`Error in groupedConv2d: output channels (${cout}) must be divisible by groups (${groups}), but got remainder ${cout % groups}.`);
  if (filter.shape[2] !== cin / groups) {
    throw new Error(`Error in groupedConv2d: filter in-channels must be Cin/groups = ${cin / groups}, but got ${filter.shape[2]}.`);
  }
  for (const [name, v] of [['strides', opts.strides], ['dilations', opts.dilations]] as const) {
    if (v.length !== 2 || !v.every((n) => Number.isInteger(n) && n >= 1)) {
      throw new Error(`Error in groupedConv2d: ${name} must be two positive integers, but got [${v}].`);
    }
  }
}
