// Two reshaping layers that let one small ConvKAN act on each input channel separately with
// shared weights, as the Convolutional-KANs paper's KAN_Convolutional_Layer does (its n_convs
// kernels are applied to every input channel: C channels in, C·n_convs out, channel c·n + i).
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import { CHANNELS_TO_BATCH, BATCH_TO_CHANNELS } from './classNames';

const single = (inputs: tf.Tensor | tf.Tensor[]) => (Array.isArray(inputs) ? inputs[0] : inputs);
const singleShape = (s: tf.Shape | tf.Shape[]) => (Array.isArray(s[0]) ? (s as tf.Shape[])[0] : (s as tf.Shape));

/** [N, H, W, C] → [N·C, H, W, 1]: every channel becomes its own one-channel image. */
export class ChannelsToBatch extends tf.layers.Layer {
  static className = CHANNELS_TO_BATCH;

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w, c] = singleShape(inputShape);
    return [n == null || c == null ? null : n * c, h, w, 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      if (x.rank !== 4)
        throw new ConvKanArgumentError(
          `${CHANNELS_TO_BATCH} '${this.name}'`,
          'input',
          'rank 4 [N, H, W, C]',
          `rank ${x.rank} ${show(x.shape)}`,
        );
      const [n, h, w, c] = x.shape;
      return tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n * c, h, w, 1]); // [N·C, H, W, 1]
    });
  }
}
tf.serialization.registerClass(ChannelsToBatch);

export interface BatchToChannelsArgs {
  /** C: how many consecutive batch entries belong to one sample. */
  channels: number;
  name?: string;
}

/** [N·C, H, W, F] → [N, H, W, C·F], channel c·F + f: the inverse regrouping after a shared per-channel layer. */
export class BatchToChannels extends tf.layers.Layer {
  static className = BATCH_TO_CHANNELS;
  readonly channels: number;

  constructor(args: BatchToChannelsArgs) {
    super(args);
    if (!Number.isInteger(args.channels) || args.channels < 1) {
      throw new ConvKanArgumentError(
        `${BATCH_TO_CHANNELS}${args.name ? ` '${args.name}'` : ''}`,
        'channels',
        'a positive integer',
        show(args.channels),
      );
    }
    this.channels = args.channels;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [nc, h, w, f] = singleShape(inputShape);
    return [nc == null ? null : nc / this.channels, h, w, f == null ? null : f * this.channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const [nc, h, w, f] = x.shape;
      const C = this.channels;
      if (x.rank !== 4 || nc % C !== 0) {
        throw new ConvKanArgumentError(
          `${BATCH_TO_CHANNELS} '${this.name}'`,
          'input',
          `rank 4 with a batch divisible by channels (${C})`,
          show(x.shape),
        );
      }
      const n = nc / C;
      const split = tf.reshape(x, [n, C, h, w, f]); // [N, C, H, W, F]
      return tf.reshape(tf.transpose(split, [0, 2, 3, 1, 4]), [n, h, w, C * f]); // [N, H, W, C·F]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), channels: this.channels };
  }
}
tf.serialization.registerClass(BatchToChannels);
