// ConvKAN1D for signals [batch, length, channels]: the 2-D layer's math on a 1 × L image, so
// strides, 'same'/'valid'/'causal', dilation, groups and all four padding modes behave as
// torch.nn.Conv1d / tf.layers.conv1d.
import * as tf from '@tensorflow/tfjs';
import { BasisConvKAN, type BasisConvKANArgs } from './basisConvKan';
import { BASIS_CONV_KAN_1D } from './classNames';

export type BasisConvKAN1DArgs = BasisConvKANArgs<1>;

export class BasisConvKAN1D extends BasisConvKAN<1> {
  static className = BASIS_CONV_KAN_1D;

  constructor(args: BasisConvKAN1DArgs) {
    super(1, args);
  }
}
tf.serialization.registerClass(BasisConvKAN1D);
