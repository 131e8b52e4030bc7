// Bottleneck ConvKAN2D for layers with many channels: a 1×1 convolution squeezes C_in to r
// channels, the KAN convolution runs in that reduced space (r → r), and a 1×1 convolution expands
// to C_out. The expanded basis then has r·K channels instead of C_in·K (torch-conv-kan's
// BottleNeck layers, whose default is r = max(C_in, C_out)/4, at least min(16, C_in, C_out)).
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, layerContext, show } from '../conv/argumentError';
import { outputSpatial, checkSpatialFits, type ConvGeometry, type PaddingArg } from '../conv/convGeometry';
import { makeBasis, type Basis } from './basis';
import { basisConv2d } from './basisConv';
import { BOTTLENECK_CONV_KAN_2D } from './classNames';
import type { BasisConvKAN2DArgs } from './basisConvKan2d';
import { basisConfig, basisOptionsOf, baseInitializer, basisInitializer, positiveInt, oneInput, oneShape, defaultName, conv2dGeometry } from './layerArgs';

export interface BottleneckConvKAN2DArgs extends BasisConvKAN2DArgs {
  /** Channels r of the reduced space; default max(C_in, C_out)/reduction, at least min(minInternal, C_in, C_out), rounded up to a multiple of groups. */
  bottleneckChannels?: number;
  /** Default 4. */
  reduction?: number;
  /** Default 16. */
  minInternal?: number;
}

/** The default r for C_in → C_out (see BottleneckConvKAN2DArgs). */
export function defaultBottleneckChannels(cin: number, cout: number, groups: number, reduction = 4, minInternal = 16): number {
  const r = Math.max(Math.floor(Math.max(cin, cout) / reduction), Math.min(minInternal, cin, cout));
  return Math.ceil(Math.max(r, 1) / groups) * groups;
}

export class BottleneckConvKAN2D extends tf.layers.Layer {
  static className = BOTTLENECK_CONV_KAN_2D;
  readonly filters: number;
  readonly groups: number;
  readonly geometry: ConvGeometry;
  readonly basis: Basis;
  readonly useBase: boolean;
  readonly reduction: number;
  readonly minInternal: number;
  /** r, known after build unless given. */
  bottleneckChannels: number | null;
  private readonly paddingArg: PaddingArg;
  private readonly seed?: number;
  private squeeze: tf.LayerVariable | null = null;
  private basisKernel: tf.LayerVariable | null = null;
  private baseKernel: tf.LayerVariable | null = null;
  private expand: tf.LayerVariable | null = null;

  constructor(args: BottleneckConvKAN2DArgs) {
    super({ ...args, name: defaultName(new.target, args.name) });
    const ctx = layerContext(this.getClassName(), this.name);
    this.filters = positiveInt(args.filters, ctx, 'filters');
    this.groups = positiveInt(args.groups ?? 1, ctx, 'groups');
    this.reduction = positiveInt(args.reduction ?? 4, ctx, 'reduction');
    this.minInternal = positiveInt(args.minInternal ?? 16, ctx, 'minInternal');
    this.bottleneckChannels = args.bottleneckChannels == null ? null : positiveInt(args.bottleneckChannels, ctx, 'bottleneckChannels');
    if (this.bottleneckChannels != null && this.bottleneckChannels % this.groups !== 0) {
      throw new ConvKanArgumentError(ctx, 'bottleneckChannels', `divisible by groups (${this.groups})`, String(this.bottleneckChannels));
    }
    ({ paddingArg: this.paddingArg, geometry: this.geometry } = conv2dGeometry(args, ctx));
    this.basis = makeBasis(basisOptionsOf(args), ctx);
    this.useBase = args.useBase ?? true;
    this.seed = args.seed;
  }

  private get context(): string {
    return layerContext(this.getClassName(), this.name);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    if (shape.length !== 4 || shape[3] == null) throw new ConvKanArgumentError(this.context, 'input', 'rank 4 [batch, height, width, channels] with known channels', show(shape));
    const cin = shape[3];
    const r = (this.bottleneckChannels ??= defaultBottleneckChannels(cin, this.filters, this.groups, this.reduction, this.minInternal));
    const [kH, kW] = this.geometry.kernelSize;
    const rg = r / this.groups;
    this.squeeze = this.addWeight('squeezeKernel', [1, 1, cin, r], 'float32', baseInitializer(this.seed));
    this.basisKernel = this.addWeight('basisKernel', [kH, kW, rg * this.basis.size, r], 'float32', basisInitializer(this.seed));
    if (this.useBase) this.baseKernel = this.addWeight('baseKernel', [kH, kW, rg, r], 'float32', baseInitializer(this.seed));
    this.expand = this.addWeight('expandKernel', [1, 1, r, this.filters], 'float32', baseInitializer(this.seed));
    this.inputSpec = [{ ndim: 4, axes: { [-1]: cin } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, h, w] = oneShape(inputShape);
    const [ho, wo] = outputSpatial(h, w, this.geometry);
    return [n, ho, wo, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = oneInput(inputs, this.context) as tf.Tensor4D;
      if (x.rank !== 4) throw new ConvKanArgumentError(this.context, 'input', 'rank 4 [batch, height, width, channels]', `rank ${x.rank} ${show(x.shape)}`);
      checkSpatialFits(x.shape[1], x.shape[2], this.geometry, this.context);
      const s = tf.conv2d(x, this.squeeze!.read() as tf.Tensor4D, 1, 'valid'); // [N, H, W, r]
      const k = basisConv2d(s, this.basis, this.geometry, this.groups, this.basisKernel!.read() as tf.Tensor4D, this.baseKernel ? (this.baseKernel.read() as tf.Tensor4D) : null); // [N, H', W', r]
      return tf.conv2d(k, this.expand!.read() as tf.Tensor4D, 1, 'valid'); // [N, H', W', Cout]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.geometry.kernelSize,
      strides: this.geometry.strides,
      padding: this.paddingArg as tf.serialization.ConfigDictValue,
      dilation: this.geometry.dilation,
      groups: this.groups,
      paddingMode: this.geometry.paddingMode,
      useBase: this.useBase,
      bottleneckChannels: this.bottleneckChannels,
      reduction: this.reduction,
      minInternal: this.minInternal,
      ...basisConfig(this.basis.options),
    };
  }
}
tf.serialization.registerClass(BottleneckConvKAN2D);
