// The expanded basis of a zero border: a padded pixel (x = 0) expands to the constant
// e0 = [SiLU(0), B_0(0) … B_{nb−1}(0)] per channel, which is not 0, so a convolution that pads its
// expanded input with zeros must add the convolution of this image (ConvKAN2D's dense path adds it;
// the sparse kernel's filter gradient adds its gradient).
import * as tf from '@tensorflow/tfjs';
import type { SidePadding } from '../conv/convGeometry';
import { bsplineBasis } from './bsplineBasis';

/** [1, H + top + bottom, W + left + right, Cin·(1 + nb)]: e0 on the border, 0 inside. */
export function basisBorderImage(knots: tf.Tensor2D, order: number, size: [number, number], padding: SidePadding): tf.Tensor4D {
  return tf.tidy(() => {
    const cin = knots.shape[0];
    const e0 = bsplineBasis(tf.zeros([1, cin]), knots, order, { withSilu: true }); // [1, Cin·(1 + nb)]
    const [[t, b], [l, r]] = padding;
    const ring = tf.pad(
      tf.zeros([1, size[0], size[1], 1]),
      [
        [0, 0],
        [t, b],
        [l, r],
        [0, 0],
      ],
      1,
    );
    return tf.mul(ring, tf.reshape(e0, [1, 1, 1, e0.shape[1] as number])) as tf.Tensor4D;
  });
}
