// Padding an NHWC input in PyTorch's four modes. Built from slice/reverse/tile/concat only, so
// every mode has gradients on every backend (tfjs has no StridedSlice or MirrorPad grads on all).
import * as tf from '@tensorflow/tfjs';
import type { PaddingMode, SidePadding } from './convGeometry';

/** x: [N, H, W, C] → [N, H + top + bottom, W + left + right, C]. */
export function padInput(x: tf.Tensor4D, padding: SidePadding, mode: PaddingMode): tf.Tensor4D {
  const [[t, b], [l, r]] = padding;
  if (t + b + l + r === 0) return x;
  if (mode === 'zeros')
    return tf.pad(x, [
      [0, 0],
      [t, b],
      [l, r],
      [0, 0],
    ]);
  return tf.tidy(() => {
    const rows = padAxis(x, 1, t, b, mode); // [N, Hp, W, C]
    return padAxis(rows, 2, l, r, mode) as tf.Tensor4D; // [N, Hp, Wp, C]
  });
}

function padAxis(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number, mode: Exclude<PaddingMode, 'zeros'>): tf.Tensor4D {
  if (before + after === 0) return x;
  const size = x.shape[axis];
  const take = (start: number, count: number) => sliceAxis(x, axis, start, count);
  const parts: tf.Tensor4D[] = [];
  if (mode === 'reflect') {
    // torch 'reflect' mirrors around the edge without repeating it: [x2 x1 | x0 x1 x2 ...].
    if (before > 0) parts.push(tf.reverse(take(1, before), axis));
    parts.push(x);
    if (after > 0) parts.push(tf.reverse(take(size - 1 - after, after), axis));
  } else if (mode === 'replicate') {
    const reps = (n: number) => (axis === 1 ? [1, n, 1, 1] : [1, 1, n, 1]);
    if (before > 0) parts.push(tf.tile(take(0, 1), reps(before)));
    parts.push(x);
    if (after > 0) parts.push(tf.tile(take(size - 1, 1), reps(after)));
  } else {
    // circular: wrap around.
    if (before > 0) parts.push(take(size - before, before));
    parts.push(x);
    if (after > 0) parts.push(take(0, after));
  }
  return tf.concat(parts, axis);
}

export function sliceAxis(x: tf.Tensor4D, axis: number, start: number, count: number): tf.Tensor4D {
  const begin = [0, 0, 0, 0];
  const size = [-1, -1, -1, -1];
  begin[axis] = start;
  size[axis] = count;
  return tf.slice(x, begin, size);
}
