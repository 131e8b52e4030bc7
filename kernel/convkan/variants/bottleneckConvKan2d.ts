// Bottleneck ConvKAN2D for layers with many channels: a 1×1 convolution squeezes C_in to r
// channels, the KAN convolution runs in that reduced space (r → r), and a 1×1 convolution expands
// to C_out. The expanded basis then has r·K channels instead of C_in·K (torch-conv-kan's
// BottleNeck layers, whose default is r = max(C_in, C_out)/4, at least min(16, C_in, C_out)).
// The 1×1 convolutions are matrix products: tf.conv2d cannot train on wasm (no Conv2DBackpropFilter).
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, layerContext, show } from '../conv/argumentError';
import { conv2dOutputShape, checkSpatialFits, checkDataFormat, geometryFor, resolveConvGeometry, type ConvGeometry, type DataFormat, type PaddingArg } from '../conv/convGeometry';
import { CONV_ARG_NAMES, TF_LAYER_ARG_NAMES, checkArgNames } from '../layers/argNames';
import { addBias, applyActivation, outputArgNames, resolveOutputArgs, weightSpec, type ResolvedOutputArgs, type WeightArgs } from '../layers/outputArgs';
import { makeBasis, type Basis } from './basis';
import { basisConv2d } from './basisConv';
import { BOTTLENECK_CONV_KAN_2D } from './classNames';
import type { BasisConvKAN2DArgs } from './basisConvKan2d';
import { basisConfig, basisOptionsOf, baseInitializer, basisInitializer, positiveInt, oneInput, oneShape, defaultName, BASIS_ARG_NAMES, VARIANT_WEIGHT_KEYS } from './layerArgs';

/** The learned weights: the KAN convolution's two, and the squeezing and expanding 1×1 convolutions. */
export const BOTTLENECK_WEIGHT_KEYS = [...VARIANT_WEIGHT_KEYS, 'squeeze', 'expand'] as const;
type BottleneckWeightKey = (typeof BOTTLENECK_WEIGHT_KEYS)[number];

export interface BottleneckConvKAN2DArgs extends BasisConvKAN2DArgs, WeightArgs<BottleneckWeightKey> {
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

/** Every argument name BottleneckConvKAN2D accepts (aliases aside). */
export const BOTTLENECK_CONV_KAN_2D_ARG_NAMES = [
  ...TF_LAYER_ARG_NAMES, 'filters', ...CONV_ARG_NAMES, ...BASIS_ARG_NAMES, 'bottleneckChannels', 'reduction', 'minInternal', ...outputArgNames(BOTTLENECK_WEIGHT_KEYS),
];

/** A 1×1 convolution as one matrix product over the pixels: [N, H, W, C] · [1, 1, C, C'] → [N, H, W, C'] (MatMul has its gradient on every backend). */
function pointwise(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const out = kernel.shape[3];
  return tf.reshape(tf.matMul(tf.reshape(x, [n * h * w, c]), tf.reshape(kernel, [c, out])), [n, h, w, out]) as tf.Tensor4D;
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
  readonly dataFormat: DataFormat;
  /** useBias, activation and the weights' initializers/regularizers/constraints. */
  readonly outputArgs: ResolvedOutputArgs<BottleneckWeightKey>;
  /** r, known after build unless given. */
  bottleneckChannels: number | null;
  private readonly paddingArg: PaddingArg;
  private readonly seed?: number;
  private squeeze: tf.LayerVariable | null = null;
  private basisKernel: tf.LayerVariable | null = null;
  private baseKernel: tf.LayerVariable | null = null;
  private expand: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(given: BottleneckConvKAN2DArgs) {
    const args = checkArgNames(BOTTLENECK_CONV_KAN_2D, given.name, given, BOTTLENECK_CONV_KAN_2D_ARG_NAMES);
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
    this.paddingArg = args.padding ?? 'valid';
    this.geometry = resolveConvGeometry(args, ctx);
    this.dataFormat = checkDataFormat(args.dataFormat, ctx);
    this.basis = makeBasis(basisOptionsOf(args), ctx);
    this.useBase = args.useBase ?? true;
    this.seed = args.seed;
    this.outputArgs = resolveOutputArgs(args, BOTTLENECK_WEIGHT_KEYS, ctx);
  }

  private get context(): string {
    return layerContext(this.getClassName(), this.name);
  }

  private get layout(): string {
    return this.dataFormat === 'channelsFirst' ? '[batch, channels, height, width]' : '[batch, height, width, channels]';
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const axis = this.dataFormat === 'channelsFirst' ? 1 : 3;
    if (shape.length !== 4 || shape[axis] == null) throw new ConvKanArgumentError(this.context, 'input', `rank 4 ${this.layout} with known channels`, show(shape));
    const cin = shape[axis] as number;
    const r = (this.bottleneckChannels ??= defaultBottleneckChannels(cin, this.filters, this.groups, this.reduction, this.minInternal));
    const [kH, kW] = this.geometry.kernelSize;
    const rg = r / this.groups;
    const w = this.outputArgs.weights;
    this.squeeze = this.addWeight('squeezeKernel', [1, 1, cin, r], 'float32', ...weightSpec(w.squeeze, baseInitializer(this.seed)));
    this.basisKernel = this.addWeight('basisKernel', [kH, kW, rg * this.basis.size, r], 'float32', ...weightSpec(w.basis, basisInitializer(this.seed)));
    if (this.useBase) this.baseKernel = this.addWeight('baseKernel', [kH, kW, rg, r], 'float32', ...weightSpec(w.base, baseInitializer(this.seed)));
    this.expand = this.addWeight('expandKernel', [1, 1, r, this.filters], 'float32', ...weightSpec(w.expand, baseInitializer(this.seed)));
    if (this.outputArgs.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', ...weightSpec(this.outputArgs.bias, tf.initializers.zeros()));
    this.inputSpec = [{ ndim: 4, axes: { [axis]: cin } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return conv2dOutputShape(oneShape(inputShape), this.dataFormat, this.geometry, this.filters);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const given = oneInput(inputs, this.context);
      if (given.rank !== 4) throw new ConvKanArgumentError(this.context, 'input', `rank 4 ${this.layout}`, `rank ${given.rank} ${show(given.shape)}`);
      const first = this.dataFormat === 'channelsFirst';
      const x = (first ? tf.transpose(given, [0, 2, 3, 1]) : given) as tf.Tensor4D; // NHWC
      checkSpatialFits(x.shape[1], x.shape[2], this.geometry, this.context);
      const g = geometryFor(this.geometry, x.shape[1], x.shape[2]);
      const s = pointwise(x, this.squeeze!.read() as tf.Tensor4D); // [N, H, W, r]
      const k = basisConv2d(s, this.basis, g, this.groups, this.basisKernel!.read() as tf.Tensor4D, this.baseKernel ? (this.baseKernel.read() as tf.Tensor4D) : null); // [N, H', W', r]
      const y = addBias(pointwise(k, this.expand!.read() as tf.Tensor4D), this.bias); // [N, H', W', Cout]
      return applyActivation(first ? tf.transpose(y, [0, 3, 1, 2]) : y, this.outputArgs.activation);
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
      dataFormat: this.dataFormat,
      useBase: this.useBase,
      bottleneckChannels: this.bottleneckChannels,
      reduction: this.reduction,
      minInternal: this.minInternal,
      ...basisConfig(this.basis.options),
      ...this.outputArgs.config,
    };
  }
}
tf.serialization.registerClass(BottleneckConvKAN2D);
