// Grouped 2-D convolution (NHWC, 'valid'), the one convolution every ConvKAN layer runs, with a
// gradient built only from forward convolutions and matrix products. Why: tfjs-backend-wasm 4.22
// has no Conv2DBackpropFilter kernel (tf.grads through conv2d throws there), the cpu backend's
// backprop kernels are naive loops (~60× slower than its forward conv), and tfjs' own Conv2D
// gradient refuses dilation > 1 on every backend.
//
// The convolution runs as kernel 'ConvKanConv2D', which forwards to the backend's own Conv2D
// kernel, so that its gradient can be registered with tf.registerGradient: unlike tf.customGrad,
// a registered gradient is evaluated per input only when that input needs it (no dL/dx for a
// network's first layer, no dL/dfilter for a frozen one).
import * as tf from '@tensorflow/tfjs';
import type { Pair, SidePadding } from '../conv/convGeometry';
import { conv2dFilterGrad, conv2dInputGrad } from './conv2dGrads';

export interface GroupedConv2dOptions {
  strides: Pair;
  dilations: Pair;
  groups: number;
  /**
   * Zeros around x, [[top, bottom], [left, right]], applied inside the convolution (default none).
   * Cheaper than tf.pad first: the input gradient is computed for x only, not for the border.
   */
  padding?: SidePadding;
}

export const CONV2D_KERNEL = 'ConvKanConv2D';

const NO_PADDING: SidePadding = [
  [0, 0],
  [0, 0],
];

interface ConvAttrs {
  strides: Pair;
  dilations: Pair;
  padding: SidePadding;
  [key: string]: Pair | SidePadding;
}

/**
 * x: [N, H, W, Cin] (already padded, or padded with zeros by opts.padding), filter: [kH, kW, Cin/groups, Cout]
 * → [N, H', W', Cout], 'valid' over the padded input.
 * Group g reads input channels [g·Cin/G, (g+1)·Cin/G) and writes output channels [g·Cout/G, (g+1)·Cout/G).
 */
export function groupedConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, opts: GroupedConv2dOptions): tf.Tensor4D {
  checkGroupedConvArgs(x, filter, opts);
  const { strides, dilations, groups } = opts;
  const padding = opts.padding ?? NO_PADDING;
  ensureConvKernel();
  return tf.tidy(() => {
    if (groups === 1) return conv2dValid(x, filter, strides, dilations, padding);
    const xs = tf.split(x, groups, 3) as tf.Tensor4D[]; // G × [N, H, W, Cin/G]
    const fs = tf.split(filter, groups, 3) as tf.Tensor4D[]; // G × [kH, kW, Cin/G, Cout/G]
    return tf.concat(
      xs.map((xg, g) => conv2dValid(xg, fs[g] as tf.Tensor4D, strides, dilations, padding)),
      3,
    ) as tf.Tensor4D;
  });
}

/**
 * 'valid' convolution through ConvKanConv2D, also for stride and dilation both > 1, which tfjs'
 * Conv2D refuses: then the stride-1 dilated convolution is subsampled (s² more work, a rare case).
 */
function conv2dValid(x: tf.Tensor4D, f: tf.Tensor4D, strides: Pair, dilations: Pair, padding: SidePadding): tf.Tensor4D {
  const strided = strides[0] > 1 || strides[1] > 1;
  const dilated = dilations[0] > 1 || dilations[1] > 1;
  const run = (s: Pair) => {
    const attrs: ConvAttrs = { strides: s, dilations, padding };
    return tf.engine().runKernel(CONV2D_KERNEL, { x, filter: f }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  };
  if (!(strided && dilated)) return run(strides);
  return tf.tidy(() => subsample(run([1, 1]), strides[0], strides[1]));
}

/** Rows 0, sH, 2·sH, … and columns 0, sW, … of x, with ops that have gradients (StridedSlice has none). */
function subsample(x: tf.Tensor4D, sH: number, sW: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const oh = Math.ceil(h / sH);
  const ow = Math.ceil(w / sW);
  const padded = tf.pad(x, [
    [0, 0],
    [0, oh * sH - h],
    [0, ow * sW - w],
    [0, 0],
  ]);
  const split = tf.reshape(padded, [n, oh, sH, ow, sW, c]);
  return tf.reshape(tf.slice(split, [0, 0, 0, 0, 0, 0], [n, oh, 1, ow, 1, c]), [n, oh, ow, c]) as tf.Tensor4D;
}

let gradientRegistered = false;

/** Registers ConvKanConv2D for the current backend (forwarding to its Conv2D kernel) and, once, its gradient. */
function ensureConvKernel(): void {
  const backendName = tf.getBackend();
  if (!tf.getKernel(CONV2D_KERNEL, backendName)) {
    const conv = tf.getKernel('Conv2D', backendName);
    if (!conv) throw new Error(`Error in groupedConv2d: backend '${backendName}' must have a Conv2D kernel, but it has none.`);
    tf.registerKernel({
      kernelName: CONV2D_KERNEL,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const a = attrs as unknown as ConvAttrs;
        return conv.kernelFunc({
          inputs,
          backend,
          attrs: {
            strides: a.strides,
            pad: explicitPad(a.padding),
            dataFormat: 'NHWC',
            dilations: a.dilations,
            dimRoundingMode: undefined,
          } as unknown as tf.NamedAttrMap,
        });
      },
    });
  }
  if (gradientRegistered || tf.getGradient(CONV2D_KERNEL)) {
    gradientRegistered = true;
    return;
  }
  tf.registerGradient({
    kernelName: CONV2D_KERNEL,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const { strides, dilations, padding } = attrs as unknown as ConvAttrs;
      return {
        x: () => conv2dInputGrad(dy as tf.Tensor4D, filter, x.shape, strides, dilations, padding),
        filter: () => conv2dFilterGrad(x, dy as tf.Tensor4D, filter.shape, strides, dilations, padding),
      };
    },
  });
  gradientRegistered = true;
}

/** tfjs' explicit padding ([[0, 0], [top, bottom], [left, right], [0, 0]] for NHWC), or 'valid' when none. */
export function explicitPad(padding: SidePadding): 'valid' | tf.backend_util.ExplicitPadding {
  const [[t, b], [l, r]] = padding;
  return t + b + l + r === 0
    ? 'valid'
    : [
        [0, 0],
        [t, b],
        [l, r],
        [0, 0],
      ];
}

export function checkGroupedConvArgs(x: tf.Tensor, filter: tf.Tensor, opts: GroupedConv2dOptions): void {
  const { groups } = opts;
  if (x.rank !== 4) throw new Error(`Error in groupedConv2d: x must be rank 4 (NHWC), but got rank ${x.rank} (shape [${x.shape}]).`);
  if (filter.rank !== 4) {
    throw new Error(
      `Error in groupedConv2d: filter must be rank 4 [kH, kW, Cin/groups, Cout], but got rank ${filter.rank} (shape [${filter.shape}]).`,
    );
  }
  if (!Number.isInteger(groups) || groups < 1)
    throw new Error(`Error in groupedConv2d: groups must be a positive integer, but got ${groups}.`);
  const cin = x.shape[3] as number;
  const cout = filter.shape[3] as number;
  if (cin % groups !== 0)
    throw new Error(
      `Error in groupedConv2d: input channels (${cin}) must be divisible by groups (${groups}), but got remainder ${cin % groups}.`,
    );
  if (cout % groups !== 0)
    throw new Error(
      `Error in groupedConv2d: output channels (${cout}) must be divisible by groups (${groups}), but got remainder ${cout % groups}.`,
    );
  if (filter.shape[2] !== cin / groups) {
    throw new Error(`Error in groupedConv2d: filter in-channels must be Cin/groups = ${cin / groups}, but got ${filter.shape[2]}.`);
  }
  for (const [name, v] of [
    ['strides', opts.strides],
    ['dilations', opts.dilations],
  ] as const) {
    if (v.length !== 2 || !v.every((n) => Number.isInteger(n) && n >= 1)) {
      throw new Error(`Error in groupedConv2d: ${name} must be two positive integers, but got [${v}].`);
    }
  }
  const padding = opts.padding ?? NO_PADDING;
  if (padding.length !== 2 || !padding.every((p) => p.length === 2 && p.every((n) => Number.isInteger(n) && n >= 0))) {
    throw new Error(
      `Error in groupedConv2d: padding must be [[top, bottom], [left, right]] of non-negative integers, ` +
        `but got ${JSON.stringify(padding)}.`,
    );
  }
  const [kH, kW] = [filter.shape[0] as number, filter.shape[1] as number];
  const H = (x.shape[1] as number) + padding[0][0] + padding[0][1];
  const W = (x.shape[2] as number) + padding[1][0] + padding[1][1];
  const effH = (kH - 1) * opts.dilations[0] + 1;
  const effW = (kW - 1) * opts.dilations[1] + 1;
  if (effH > H || effW > W) {
    throw new Error(
      `Error in groupedConv2d: the dilated kernel (${effH}×${effW}) must fit in the padded input (${H}×${W}), but it does not.`,
    );
  }
}
