// The two gradients of a 'valid' NHWC conv2d (no groups), written with ops that are fast on every
// backend: forward Conv2D (XNNPACK on wasm) and MatMul. See groupedConv2d.ts for why.
import * as tf from '@tensorflow/tfjs';

type Pair = [number, number];

/**
 * dL/dx of y = conv2d(x, f, strides, 'valid', dilations): a stride-1 'valid' convolution of dy
 * (zero-stuffed by the stride and padded by the dilated kernel extent) with the flipped, transposed filter.
 */
export function conv2dInputGrad(
  dy: tf.Tensor4D, filter: tf.Tensor4D, xShape: [number, number, number, number], strides: Pair, dilations: Pair,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kH, kW] = filter.shape;
    const [, H, W] = xShape;
    const [sH, sW] = strides;
    const [dH, dW] = dilations;
    const effH = (kH - 1) * dH + 1;
    const effW = (kW - 1) * dW + 1;
    let g: tf.Tensor4D = dy; // [N, OH, OW, Cout]
    if (sH > 1 || sW > 1) g = zeroStuff(g, sH, sW); // [N, (OH-1)·sH+1, (OW-1)·sW+1, Cout]
    // rows of x past the last window get no gradient: pad them at the end with zeros
    const coveredH = g.shape[1] + effH - 1;
    const coveredW = g.shape[2] + effW - 1;
    g = tf.pad(g, [[0, 0], [effH - 1, effH - 1 + (H - coveredH)], [effW - 1, effW - 1 + (W - coveredW)], [0, 0]]);
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D; // [kH, kW, Cout, Cin]
    return tf.conv2d(g, flipped, 1, 'valid', 'NHWC', [dH, dW]);
  });
}

/** Inserts s−1 zero rows/columns between the rows/columns of x (the transpose of a strided read). */
function zeroStuff(x: tf.Tensor4D, sH: number, sW: number): tf.Tensor4D {
  const [N, OH, OW, C] = x.shape;
  // [N, OH, 1, OW, 1, C] padded to [N, OH, sH, OW, sW, C], then trimmed to (OH-1)·sH+1 × (OW-1)·sW+1
  const x6 = tf.reshape(x, [N, OH, 1, OW, 1, C]);
  const padded = tf.pad(x6, [[0, 0], [0, 0], [0, sH - 1], [0, 0], [0, sW - 1], [0, 0]]);
  const full = tf.reshape(padded, [N, OH * sH, OW * sW, C]);
  return tf.slice(full, [0, 0, 0, 0], [N, (OH - 1) * sH + 1, (OW - 1) * sW + 1, C]) as tf.Tensor4D;
}

/**
 * dL/dfilter of y = conv2d(x, f, strides, 'valid', dilations): for each kernel tap (ky, kx),
 * x read at that tap for every output pixel ([N·OH·OW, Cin]) transposed times dy ([N·OH·OW, Cout]).
 */
export function conv2dFilterGrad(
  x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], strides: Pair, dilations: Pair,
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
        taps.push(tf.matMul(tf.reshape(win, [M, Cin]), dy2, true, false)); // [Cin, Cout]
      }
    }
    return tf.reshape(tf.stack(taps), [kH, kW, Cin, Cout]) as tf.Tensor4D;
  });
}
