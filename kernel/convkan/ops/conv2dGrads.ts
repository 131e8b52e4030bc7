// The two gradients of a 'valid' NHWC conv2d (no groups), written with ops that are fast on every
// backend: forward Conv2D (XNNPACK on wasm) and MatMul. See groupedConv2d.ts for why.
import * as tf from '@tensorflow/tfjs';
import { conv2dFilterGradWasm, wasmFilterGradApplies } from './conv2dFilterGradWasm';
import type { Pair, SidePadding } from '../conv/convGeometry';

const NO_PADDING: SidePadding = [
  [0, 0],
  [0, 0],
];

/**
 * dL/dx of y = conv2d(zero-pad(x, padding), f, strides, 'valid', dilations): a stride-1 'valid'
 * convolution of dy (zero-stuffed by the stride and padded by the dilated kernel extent) with the
 * flipped, transposed filter. With padding, only x's own rows and columns are computed, not the border's.
 */
export function conv2dInputGrad(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  xShape: [number, number, number, number],
  strides: Pair,
  dilations: Pair,
  padding: SidePadding = NO_PADDING,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kH, kW] = filter.shape;
    const [[top, bottom], [left, right]] = padding;
    const H = xShape[1] + top + bottom; // the padded input's size
    const W = xShape[2] + left + right;
    const [sH, sW] = strides;
    const [dH, dW] = dilations;
    const effH = (kH - 1) * dH + 1;
    const effW = (kW - 1) * dW + 1;
    let g: tf.Tensor4D = dy; // [N, OH, OW, Cout]
    if (sH > 1 || sW > 1) g = zeroStuff(g, sH, sW); // [N, (OH-1)·sH+1, (OW-1)·sW+1, Cout]
    // rows of x past the last window get no gradient: pad them at the end with zeros
    const coveredH = g.shape[1] + effH - 1;
    const coveredW = g.shape[2] + effW - 1;
    // the gradient of the padded input's rows top … H−bottom−1 only: trim the padding by as much
    const rows = padOrCrop(effH - 1 - top, effH - 1 + (H - coveredH) - bottom);
    const cols = padOrCrop(effW - 1 - left, effW - 1 + (W - coveredW) - right);
    g = tf.pad(g, [[0, 0], rows.pad, cols.pad, [0, 0]]);
    if (rows.crop[0] + rows.crop[1] + cols.crop[0] + cols.crop[1] > 0) {
      g = tf.slice(
        g,
        [0, rows.crop[0], cols.crop[0], 0],
        [g.shape[0], g.shape[1] - rows.crop[0] - rows.crop[1], g.shape[2] - cols.crop[0] - cols.crop[1], g.shape[3]],
      );
    }
    return tf.conv2d(g, flipTransposeFilter(filter), 1, 'valid', 'NHWC', [dH, dW]);
  });
}

/** Signed border amounts split into zeros to add and rows to drop (a padding wider than the kernel reach). */
function padOrCrop(before: number, after: number): { pad: Pair; crop: Pair } {
  return { pad: [Math.max(0, before), Math.max(0, after)], crop: [Math.max(0, -before), Math.max(0, -after)] };
}

/**
 * f[kH−1−ky, kW−1−kx, :, :] transposed to [kH, kW, Cout, Cin]. The spatial flip reverses the tap
 * order, done as a product with the anti-identity: tf.reverse is a slow generic loop on wasm
 * (≈30× slower than this for a 3×3×288×64 filter). Exact: each output is 1·v plus zeros.
 */
function flipTransposeFilter(filter: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [kH, kW, cin, cout] = filter.shape;
    const taps = kH * kW;
    const antiIdentity = tf.tensor2d(
      Float32Array.from({ length: taps * taps }, (_, i) => (i % taps === taps - 1 - Math.floor(i / taps) ? 1 : 0)),
      [taps, taps],
    );
    const flipped = tf.reshape(tf.matMul(antiIdentity, tf.reshape(filter, [taps, cin * cout])), [kH, kW, cin, cout]);
    return tf.transpose(flipped, [0, 1, 3, 2]) as tf.Tensor4D;
  });
}

/** Inserts s−1 zero rows/columns between the rows/columns of x (the transpose of a strided read). */
function zeroStuff(x: tf.Tensor4D, sH: number, sW: number): tf.Tensor4D {
  const [N, OH, OW, C] = x.shape;
  // [N, OH, 1, OW, 1, C] padded to [N, OH, sH, OW, sW, C], then trimmed to (OH-1)·sH+1 × (OW-1)·sW+1
  const x6 = tf.reshape(x, [N, OH, 1, OW, 1, C]);
  const padded = tf.pad(x6, [
    [0, 0],
    [0, 0],
    [0, sH - 1],
    [0, 0],
    [0, sW - 1],
    [0, 0],
  ]);
  const full = tf.reshape(padded, [N, OH * sH, OW * sW, C]);
  return tf.slice(full, [0, 0, 0, 0], [N, (OH - 1) * sH + 1, (OW - 1) * sW + 1, C]) as tf.Tensor4D;
}

/**
 * dL/dfilter of y = conv2d(zero-pad(x, padding), f, strides, 'valid', dilations). Written as one forward convolution
 * with the batch as the channel axis: dW[ky,kx,ci,co] = Σ_{n,oy,ox} x[n, oy·s+ky·d, ox·s+kx·d, ci]·dy[n,oy,ox,co]
 * is conv2d(x as [Cin, H, W, N] (same zero padding), dy as filter [OH, OW, N, Cout], stride d, dilation s),
 * cropped to kH×kW. tfjs convolutions cannot have stride and dilation both > 1; that case uses one matmul per tap.
 * On wasm a dedicated SIMD kernel (conv2dFilterGradWasm.ts) computes it instead: 1.6–6× faster there (README, Benchmarks).
 */
export function conv2dFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: Pair,
  dilations: Pair,
  padding: SidePadding = NO_PADDING,
): tf.Tensor4D {
  if (wasmFilterGradApplies(x, dy)) return conv2dFilterGradWasm(x, dy, filterShape, strides, dilations, padding);
  return conv2dFilterGradByConv(x, dy, filterShape, strides, dilations, padding);
}

/** conv2dFilterGrad with tfjs ops on any backend (the forward-convolution form above), the wasm kernel's fallback. */
export function conv2dFilterGradByConv(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: Pair,
  dilations: Pair,
  padding: SidePadding = NO_PADDING,
): tf.Tensor4D {
  const [[top, bottom], [left, right]] = padding;
  const padded = top + bottom + left + right > 0;
  const bothAbove1 = (strides[0] > 1 || strides[1] > 1) && (dilations[0] > 1 || dilations[1] > 1);
  if (bothAbove1) {
    return tf.tidy(() =>
      filterGradByTaps(
        padded
          ? tf.pad(x, [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ])
          : x,
        dy,
        filterShape,
        strides,
        dilations,
      ),
    );
  }
  return tf.tidy(() => {
    const [kH, kW, Cin, Cout] = filterShape;
    const xt = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D; // [Cin, H, W, N]
    const dyt = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [OH, OW, N, Cout]
    const pad = padded
      ? ([
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ] as tf.backend_util.ExplicitPadding)
      : 'valid';
    const full = tf.conv2d(xt, dyt, dilations, pad, 'NHWC', strides); // [Cin, ≥kH, ≥kW, Cout]
    const cropped = tf.slice(full, [0, 0, 0, 0], [Cin, kH, kW, Cout]);
    return tf.transpose(cropped, [1, 2, 0, 3]) as tf.Tensor4D; // [kH, kW, Cin, Cout]
  });
}

/** dL/dfilter tap by tap: x read at tap (ky, kx) for every output pixel, [N·OH·OW, Cin]ᵀ × dy [N·OH·OW, Cout]. */
function filterGradByTaps(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: Pair,
  dilations: Pair,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kH, kW, Cin, Cout] = filterShape;
    const [N, OH, OW] = dy.shape;
    const M = N * OH * OW;
    const dy2 = tf.reshape(dy, [M, Cout]);
    const taps: tf.Tensor2D[] = [];
    for (let ky = 0; ky < kH; ky++) {
      for (let kx = 0; kx < kW; kx++) {
        const y0 = ky * dilations[0];
        const x0 = kx * dilations[1];
        const end: [number, number, number, number] = [N, y0 + (OH - 1) * strides[0] + 1, x0 + (OW - 1) * strides[1] + 1, Cin];
        const win = tf.stridedSlice(x, [0, y0, x0, 0], end, [1, strides[0], strides[1], 1]) as tf.Tensor4D; // [N, OH, OW, Cin]
        taps.push(tf.matMul(tf.transpose(tf.reshape(win, [M, Cin])), dy2)); // [Cin, Cout]
      }
    }
    return tf.reshape(tf.stack(taps), [kH, kW, Cin, Cout]) as tf.Tensor4D;
  });
}
