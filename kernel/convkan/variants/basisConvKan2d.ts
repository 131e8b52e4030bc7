// ConvKAN2D with any basis family: a drop-in for Conv2d (stride, padding incl. 'same'/'valid',
// dilation, groups, the four padding modes of torch.nn.Conv2d, tf.layers.conv2d's arguments)
// whose every edge is φ(x) = w_b·SiLU(x) + Σ_k w_k·φ_k(x). NHWC by default, as tf.layers.conv2d.
import * as tf from '@tensorflow/tfjs';
import { BasisConvKAN, type BasisConvKANArgs } from './basisConvKan';
import { BASIS_CONV_KAN_2D } from './classNames';

export type BasisConvKAN2DArgs = BasisConvKANArgs<2>;

export class BasisConvKAN2D extends BasisConvKAN<2> {
  static className = BASIS_CONV_KAN_2D;

  constructor(args: BasisConvKAN2DArgs) {
    super(2, args);
  }
}
tf.serialization.registerClass(BasisConvKAN2D);
