// The plain convolution the layer benchmarks compare against (bench:layers, bench:bases,
// bench:torch): x zero-padded by PADDING on both sides, then a stride-1 'valid' grouped conv2d —
// what PyTorch's Conv2d(padding=1) computes.
import * as tf from '@tensorflow/tfjs';
import { groupedConv2d } from '../ops/groupedConv2d';
import { PADDING } from './layerShapes';

export function baselineConv2d(x: tf.Tensor, w: tf.Tensor, groups: number): tf.Tensor4D {
  return tf.tidy(() => {
    const padded = tf.pad(x as tf.Tensor4D, [
      [0, 0],
      [PADDING, PADDING],
      [PADDING, PADDING],
      [0, 0],
    ]);
    return groupedConv2d(padded, w as tf.Tensor4D, { strides: [1, 1], dilations: [1, 1], groups });
  });
}
