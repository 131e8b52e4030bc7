// Grouped 2-D convolution (NHWC, 'valid'), the one convolution every ConvKAN layer runs, with a
// gradient built only from forward convolutions and matrix products. Why: tfjs-backend-wasm 4.22
// has no Conv2DBackpropFilter kernel (tf.grads through conv2d throws there), and the cpu backend's
// backprop kernels are naive loops, ~60× slower than its forward conv.
import * as tf from '@tensorflow/tfjs';
import { conv2dFilterGrad, conv2dInputGrad } from './conv2dGrads';

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
  checkGroupedConvArgs(x, filter, opts);
  const { strides, dilations, groups } = opts;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x4, f4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x4, f4]);
    const value = forEachGroup([x4, f4], groups, ([xg, fg]) => conv2dValid(xg, fg, strides, dilations));
    const gradFunc = (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
      const [sx, sf] = saved as [tf.Tensor4D, tf.Tensor4D];
      const dy4 = dy;
      const dx = forEachGroup([dy4, sf], groups, ([dyg, fg]) =>
        conv2dInputGrad(dyg, fg, [sx.shape[0], sx.shape[1], sx.shape[2], sx.shape[3] / groups], strides, dilations),
      );
      // filter groups are stacked along the output-channel axis, like the forward pass
      const df = forEachGroup([sx, dy4], groups, ([xg, dyg]) =>
        conv2dFilterGrad(xg, dyg, [sf.shape[0], sf.shape[1], sf.shape[2], sf.shape[3] / groups], strides, dilations),
      );
      return [dx, df];
    };
    return { value, gradFunc };
  });
  return op(x, filter) as tf.Tensor4D;
}

/**
 * tf.conv2d 'valid', also for stride and dilation both > 1, which tfjs refuses: then the
 * stride-1 dilated convolution is subsampled (s² more work, a rare configuration).
 */
function conv2dValid(x: tf.Tensor4D, f: tf.Tensor4D, strides: [number, number], dilations: [number, number]): tf.Tensor4D {
  const strided = strides[0] > 1 || strides[1] > 1;
  const dilated = dilations[0] > 1 || dilations[1] > 1;
  if (!(strided && dilated)) return tf.conv2d(x, f, strides, 'valid', 'NHWC', dilations);
  return tf.tidy(() => {
    const full = tf.conv2d(x, f, 1, 'valid', 'NHWC', dilations);
    const [n, h, w, c] = full.shape;
    return tf.stridedSlice(full, [0, 0, 0, 0], [n, h, w, c], [1, strides[0], strides[1], 1]) as tf.Tensor4D;
  });
}

/** Splits every tensor into `groups` along its last axis, applies fn per group and concatenates the results. */
function forEachGroup(
  ts: [tf.Tensor4D, tf.Tensor4D],
  groups: number,
  fn: (parts: [tf.Tensor4D, tf.Tensor4D]) => tf.Tensor4D,
): tf.Tensor4D {
  if (groups === 1) return fn(ts);
  return tf.tidy(() => {
    const a = tf.split(ts[0], groups, 3) as tf.Tensor4D[];
    const b = tf.split(ts[1], groups, 3) as tf.Tensor4D[];
    return tf.concat(a.map((ag, g) => fn([ag, b[g] as tf.Tensor4D])), 3) as tf.Tensor4D;
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
  const [kH, kW] = [filter.shape[0] as number, filter.shape[1] as number];
  const [H, W] = [x.shape[1] as number, x.shape[2] as number];
  const effH = (kH - 1) * opts.dilations[0] + 1;
  const effW = (kW - 1) * opts.dilations[1] + 1;
  if (effH > H || effW > W) {
    throw new Error(`Error in groupedConv2d: the dilated kernel (${effH}×${effW}) must fit in the padded input (${H}×${W}), but it does not.`);
  }
}
