// ConvKAN2D with any basis family: a drop-in for Conv2d (stride, padding incl. 'same'/'valid',
// dilation, groups, the four padding modes of torch.nn.Conv2d, tf.layers.conv2d's arguments)
// whose every edge is φ(x) = w_b·SiLU(x) + Σ_k w_k·φ_k(x). NHWC by default, as tf.layers.conv2d.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, layerContext, show } from '../conv/argumentError';
import {
  conv2dOutputShape, checkSpatialFits, checkDataFormat, geometryFor, resolveConvGeometry, type ConvGeometry, type DataFormat, type PaddingArg, type PaddingMode, type Pair,
} from '../conv/convGeometry';
import { CONV_ARG_NAMES, TF_LAYER_ARG_NAMES, checkArgNames, type ConvAliasArgs } from '../layers/argNames';
import { addBias, applyActivation, outputArgNames, resolveOutputArgs, weightSpec, type OutputArgs, type ResolvedOutputArgs, type WeightArgs } from '../layers/outputArgs';
import { makeBasis, type Basis } from './basis';
import type { BasisName } from './basisOptions';
import { basisConv2d } from './basisConv';
import { BASIS_CONV_KAN_2D } from './classNames';
import {
  basisConfig, basisOptionsOf, baseInitializer, basisInitializer, positiveInt, oneInput, oneShape, type BasisArgs, defaultName, BASIS_ARG_NAMES, VARIANT_WEIGHT_KEYS, type VariantWeightKey,
} from './layerArgs';

export interface BasisConvKAN2DArgs extends BasisArgs, OutputArgs, WeightArgs<VariantWeightKey>, ConvAliasArgs {
  /** Basis family of the learned functions. */
  basis: BasisName;
  /** Output channels (alias: outChannels). */
  filters?: number;
  outChannels?: number;
  kernelSize: number | Pair;
  strides?: number | Pair;
  /** 'valid' (default), 'same' (any stride, tf's rule), p, [pH, pW] or [[top, bottom], [left, right]], as torch.nn.Conv2d. */
  padding?: PaddingArg;
  dilation?: number | Pair;
  /** Channels are split into `groups` independent groups, as torch.nn.Conv2d(groups=…). */
  groups?: number;
  /** How padding fills the border: 'zeros' (default), 'reflect', 'replicate' or 'circular'. */
  paddingMode?: PaddingMode;
  /** 'channelsLast' (NHWC, default) or 'channelsFirst' (NCHW). */
  dataFormat?: DataFormat;
  /** Add the SiLU base branch w_b·SiLU(x) (default true). */
  useBase?: boolean;
  /** Seed of the weight initializers (for repeatable experiments). */
  seed?: number;
  name?: string;
  inputShape?: tf.Shape;
  batchInputShape?: tf.Shape;
  batchSize?: number;
  trainable?: boolean;
  dtype?: tf.DataType;
}

/** Every argument name BasisConvKAN2D (and its families) accepts (aliases aside). */
export const BASIS_CONV_KAN_2D_ARG_NAMES = [...TF_LAYER_ARG_NAMES, 'filters', ...CONV_ARG_NAMES, ...BASIS_ARG_NAMES, ...outputArgNames(VARIANT_WEIGHT_KEYS)];

export class BasisConvKAN2D extends tf.layers.Layer {
  static className = BASIS_CONV_KAN_2D;
  readonly filters: number;
  readonly geometry: ConvGeometry;
  readonly groups: number;
  readonly basis: Basis;
  readonly useBase: boolean;
  readonly dataFormat: DataFormat;
  /** useBias, activation and the weights' initializers/regularizers/constraints. */
  readonly outputArgs: ResolvedOutputArgs<VariantWeightKey>;
  private readonly paddingArg: PaddingArg;
  private readonly seed?: number;
  private basisKernel: tf.LayerVariable | null = null;
  private baseKernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(given: BasisConvKAN2DArgs) {
    const className = (new.target as unknown as { className: string }).className;
    const args = checkArgNames(className, given.name, given, BASIS_CONV_KAN_2D_ARG_NAMES);
    super({ ...args, name: defaultName(new.target, args.name) });
    const ctx = layerContext(this.getClassName(), this.name);
    this.filters = positiveInt(args.filters, ctx, 'filters');
    this.groups = positiveInt(args.groups ?? 1, ctx, 'groups');
    if (this.filters % this.groups !== 0) {
      throw new ConvKanArgumentError(ctx, 'filters', `divisible by groups (${this.groups})`, String(this.filters));
    }
    this.paddingArg = args.padding ?? 'valid';
    this.geometry = resolveConvGeometry(args, ctx);
    this.dataFormat = checkDataFormat(args.dataFormat, ctx);
    this.basis = makeBasis(basisOptionsOf(args), ctx);
    this.useBase = args.useBase ?? true;
    this.seed = args.seed;
    this.outputArgs = resolveOutputArgs(args, VARIANT_WEIGHT_KEYS, ctx);
  }

  private get context(): string {
    return layerContext(this.getClassName(), this.name);
  }

  private get layout(): string {
    return this.dataFormat === 'channelsFirst' ? '[batch, channels, height, width]' : '[batch, height, width, channels]';
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    if (shape.length !== 4) throw new ConvKanArgumentError(this.context, 'input', `rank 4 ${this.layout}`, `rank ${shape.length} ${show(shape)}`);
    const axis = this.dataFormat === 'channelsFirst' ? 1 : 3;
    const cin = shape[axis];
    if (cin == null || cin % this.groups !== 0) {
      throw new ConvKanArgumentError(this.context, 'input channels', `a known multiple of groups (${this.groups}) on axis ${axis} of ${this.layout}`, String(cin));
    }
    const [kH, kW] = this.geometry.kernelSize;
    const cg = cin / this.groups;
    const w = this.outputArgs.weights;
    this.basisKernel = this.addWeight('basisKernel', [kH, kW, cg * this.basis.size, this.filters], 'float32', ...weightSpec(w.basis, basisInitializer(this.seed)));
    if (this.useBase) this.baseKernel = this.addWeight('baseKernel', [kH, kW, cg, this.filters], 'float32', ...weightSpec(w.base, baseInitializer(this.seed)));
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
      const basisKernel = this.basisKernel!.read() as tf.Tensor4D;
      const baseKernel = this.baseKernel ? (this.baseKernel.read() as tf.Tensor4D) : null;
      const g = geometryFor(this.geometry, x.shape[1], x.shape[2]);
      const y = addBias(basisConv2d(x, this.basis, g, this.groups, basisKernel, baseKernel), this.bias);
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
      ...basisConfig(this.basis.options),
      ...this.outputArgs.config,
    };
  }
}
tf.serialization.registerClass(BasisConvKAN2D);
