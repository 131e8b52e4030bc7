// torch.nn.functional.unfold for NHWC: every output position's receptive field, flattened
// channel-major, then kernel row, then kernel column (torch's order, 'channelMajor'), or tap-major
// (kernel row, kernel column, channel: 'tapMajor', the order of our HWIO weights; no stack needed).
import * as tf from '@tensorflow/tfjs';
import type { Pair } from './convGeometry';
import { convOutSize } from './convGeometry';
import { sliceAxis } from './padInput';

export type PatchOrder = 'channelMajor' | 'tapMajor';

/**
 * x: [N, Hp, Wp, C] (already padded) → [N, H_out, W_out, C·kH·kW] with feature c·kH·kW + ky·kW + kx
 * ('channelMajor', torch) or (ky·kW + kx)·C + c ('tapMajor').
 */
export function extractPatches(
  x: tf.Tensor4D,
  kernelSize: Pair,
  strides: Pair,
  dilation: Pair,
  order: PatchOrder = 'channelMajor',
): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, hp, wp, c] = x.shape;
    const ho = convOutSize(hp, kernelSize[0], strides[0], dilation[0]);
    const wo = convOutSize(wp, kernelSize[1], strides[1], dilation[1]);
    const taps: tf.Tensor4D[] = [];
    for (let ky = 0; ky < kernelSize[0]; ky++) {
      const rows = takeStrided(x, 1, ky * dilation[0], ho, strides[0]); // [N, Ho, Wp, C]
      for (let kx = 0; kx < kernelSize[1]; kx++) {
        taps.push(takeStrided(rows, 2, kx * dilation[1], wo, strides[1])); // [N, Ho, Wo, C]
      }
    }
    if (order === 'tapMajor') return tf.concat(taps, 3); // [N, Ho, Wo, kH·kW·C]
    const stacked = tf.stack(taps, 4); // [N, Ho, Wo, C, kH·kW]
    return tf.reshape(stacked, [n, ho, wo, c * taps.length]);
  });
}

/** Elements start, start + stride, …  (count of them) along axis 1 or 2, via slice + reshape (differentiable everywhere). */
function takeStrided(x: tf.Tensor4D, axis: 1 | 2, start: number, count: number, stride: number): tf.Tensor4D {
  if (stride === 1) return sliceAxis(x, axis, start, count);
  const span = count * stride;
  const available = x.shape[axis] - start;
  let window = sliceAxis(x, axis, start, Math.min(span, available));
  if (available < span) {
    // Only the unused tail of the last stride step is missing: pad it so the reshape below fits.
    const pads: Array<[number, number]> = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    pads[axis] = [0, span - available];
    window = tf.pad(window, pads);
  }
  const shape: number[] = [...window.shape];
  const split = [...shape.slice(0, axis), count, stride, ...shape.slice(axis + 1)]; // axis → [count, stride]
  const firsts = tf.slice(
    tf.reshape(window, split),
    split.map(() => 0),
    split.map((_, i) => (i === axis + 1 ? 1 : -1)),
  );
  shape[axis] = count;
  return tf.reshape<tf.Rank.R4>(firsts as tf.Tensor, shape as [number, number, number, number]);
}

/**
 * Host-side tap-major patches of an already padded NHWC array → [N·H_out·W_out, kH·kW·C] rows,
 * the same values as extractPatches(…, 'tapMajor'). For grid updates, which read the samples on
 * the host anyway; the cpu backend's strided slices cost seconds on conv-sized inputs.
 */
export function extractPatchesHost(
  x: ArrayLike<number>,
  shape: [number, number, number, number],
  kernelSize: Pair,
  strides: Pair,
  dilation: Pair,
): { data: Float32Array; rows: number; cols: number } {
  const [n, hp, wp, c] = shape;
  const [kh, kw] = kernelSize;
  const ho = convOutSize(hp, kh, strides[0], dilation[0]);
  const wo = convOutSize(wp, kw, strides[1], dilation[1]);
  const cols = kh * kw * c;
  const data = new Float32Array(n * ho * wo * cols);
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < ho; oy++)
      for (let ox = 0; ox < wo; ox++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            const start = ((b * hp + oy * strides[0] + ky * dilation[0]) * wp + ox * strides[1] + kx * dilation[1]) * c;
            for (let ch = 0; ch < c; ch++) data[o++] = x[start + ch];
          }
  return { data, rows: n * ho * wo, cols };
}
