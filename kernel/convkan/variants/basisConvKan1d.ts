// ConvKAN1D for signals [batch, length, channels]: the 2-D layer's math on a 1 × L image, so
// strides, 'same'/'valid'/'causal', dilation, groups and all four padding modes behave as
// torch.nn.Conv1d / tf.layers.conv1d.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, layerContext, show } from '../conv/argumentError';
import { outputSpatial, checkSpatialFits, checkDataFormat, geometryFor, resolveConvGeometry, type ConvGeometry, type DataFormat, type PaddingMode } from '../conv/convGeometry';
import { CONV_ARG_NAMES, TF_LAYER_ARG_NAMES, checkArgNames, type ConvAliasArgs } from '../layers/argNames';
import { addBias, applyActivation, outputArgNames, resolveOutputArgs, weightSpec, type OutputArgs, type ResolvedOutputArgs, type WeightArgs } from '../layers/outputArgs';
import { makeBasis, type Basis } from './basis';
import type { BasisName } from './basisOptions';
import { basisConv2d } from './basisConv';
import { BASIS_CONV_KAN_1D } from './classNames';
import {
  basisConfig, basisOptionsOf, baseInitializer, basisInitializer, positiveInt, oneInput, oneShape, type BasisArgs, defaultName, BASIS_ARG_NAMES, VARIANT_WEIGHT_KEYS, type VariantWeightKey,
} from './layerArgs';

type Padding1d = number | [number, number] | 'same' | 'valid' | 'causal';

export interface BasisConvKAN1DArgs extends BasisArgs, OutputArgs, WeightArgs<VariantWeightKey>, ConvAliasArgs {
  basis: BasisName;
  /** Output channels (alias: outChannels). */
  filters?: number;
  outChannels?: number;
  kernelSize: number | [number];
  strides?: number | [number];
  /** 'valid' (default), 'same' (any stride, tf's rule), 'causal' (d·(k − 1) on the left), p or [left, right]. */
  padding?: Padding1d;
  dilation?: number | [number];
  groups?: number;
  paddingMode?: PaddingMode;
  /** 'channelsLast' ([batch, length, channels], default) or 'channelsFirst' ([batch, channels, length]). */
  dataFormat?: DataFormat;
  useBase?: boolean;
  seed?: number;
  name?: string;
  inputShape?: tf.Shape;
  batchInputShape?: tf.Shape;
  batchSize?: number;
  trainable?: boolean;
  dtype?: tf.DataType;
}

/** Every argument name BasisConvKAN1D (and its families) accepts (aliases aside). */
export const BASIS_CONV_KAN_1D_ARG_NAMES = [...TF_LAYER_ARG_NAMES, 'filters', ...CONV_ARG_NAMES, ...BASIS_ARG_NAMES, ...outputArgNames(VARIANT_WEIGHT_KEYS)];

export class BasisConvKAN1D extends tf.layers.Layer {
  static className = BASIS_CONV_KAN_1D;
  readonly filters: number;
  readonly groups: number;
  readonly geometry: ConvGeometry;
  readonly basis: Basis;
  readonly useBase: boolean;
  readonly dataFormat: DataFormat;
  /** useBias, activation and the weights' initializers/regularizers/constraints. */
  readonly outputArgs: ResolvedOutputArgs<VariantWeightKey>;
  private readonly paddingArg: Padding1d;
  private readonly seed?: number;
  private basisKernel: tf.LayerVariable | null = null;
  private baseKernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(given: BasisConvKAN1DArgs) {
    const className = (new.target as unknown as { className: string }).className;
    const args = checkArgNames(className, given.name, given, BASIS_CONV_KAN_1D_ARG_NAMES);
    super({ ...args, name: defaultName(new.target, args.name) });
    const ctx = layerContext(this.getClassName(), this.name);
    this.filters = positiveInt(args.filters, ctx, 'filters');
    this.groups = positiveInt(args.groups ?? 1, ctx, 'groups');
    if (this.filters % this.groups !== 0) throw new ConvKanArgumentError(ctx, 'filters', `divisible by groups (${this.groups})`, String(this.filters));
    this.paddingArg = args.padding ?? 'valid';
    this.geometry = resolveConvGeometry(args, ctx, 1);
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
    return this.dataFormat === 'channelsFirst' ? '[batch, channels, length]' : '[batch, length, channels]';
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    if (shape.length !== 3) throw new ConvKanArgumentError(this.context, 'input', `rank 3 ${this.layout}`, `rank ${shape.length} ${show(shape)}`);
    const axis = this.dataFormat === 'channelsFirst' ? 1 : 2;
    const cin = shape[axis];
    if (cin == null || cin % this.groups !== 0) throw new ConvKanArgumentError(this.context, 'input channels', `a known multiple of groups (${this.groups}) on axis ${axis} of ${this.layout}`, String(cin));
    const k = this.geometry.kernelSize[1];
    const cg = cin / this.groups;
    const w = this.outputArgs.weights;
    this.basisKernel = this.addWeight('basisKernel', [k, cg * this.basis.size, this.filters], 'float32', ...weightSpec(w.basis, basisInitializer(this.seed)));
    if (this.useBase) this.baseKernel = this.addWeight('baseKernel', [k, cg, this.filters], 'float32', ...weightSpec(w.base, baseInitializer(this.seed)));
    if (this.outputArgs.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', ...weightSpec(this.outputArgs.bias, tf.initializers.zeros()));
    this.inputSpec = [{ ndim: 3, axes: { [axis]: cin } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = oneShape(inputShape);
    const first = this.dataFormat === 'channelsFirst';
    const lo = outputSpatial(1, shape[first ? 2 : 1] ?? null, this.geometry)[1];
    return first ? [shape[0] ?? null, this.filters, lo] : [shape[0] ?? null, lo, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const given = oneInput(inputs, this.context);
      if (given.rank !== 3) throw new ConvKanArgumentError(this.context, 'input', `rank 3 ${this.layout}`, `rank ${given.rank} ${show(given.shape)}`);
      const first = this.dataFormat === 'channelsFirst';
      const x = (first ? tf.transpose(given, [0, 2, 1]) : given) as tf.Tensor3D; // [N, L, C]
      const [n, l, c] = x.shape;
      checkSpatialFits(1, l, this.geometry, this.context);
      const as4d = (w: tf.LayerVariable) => tf.expandDims(w.read(), 0) as tf.Tensor4D; // [1, k, ·, Cout]
      const g = geometryFor(this.geometry, 1, l);
      const y = tf.squeeze(basisConv2d(tf.reshape(x, [n, 1, l, c]), this.basis, g, this.groups, as4d(this.basisKernel!), this.baseKernel ? as4d(this.baseKernel) : null), [1]); // [N, L', Cout]
      const biased = addBias(y, this.bias);
      return applyActivation(first ? tf.transpose(biased, [0, 2, 1]) : biased, this.outputArgs.activation);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.geometry.kernelSize[1],
      strides: this.geometry.strides[1],
      padding: this.paddingArg as tf.serialization.ConfigDictValue,
      dilation: this.geometry.dilation[1],
      groups: this.groups,
      paddingMode: this.geometry.paddingMode,
      dataFormat: this.dataFormat,
      useBase: this.useBase,
      ...basisConfig(this.basis.options),
      ...this.outputArgs.config,
    };
  }
}
tf.serialization.registerClass(BasisConvKAN1D);
