// ConvKAN2D with any basis family: a drop-in for Conv2d (stride, padding incl. 'same'/'valid',
// dilation, groups, the four padding modes of torch.nn.Conv2d) whose every edge is
// φ(x) = w_b·SiLU(x) + Σ_k w_k·φ_k(x). NHWC in and out, as tf.layers.conv2d.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, layerContext, show } from '../conv/argumentError';
import {
  outputSpatial, checkSpatialFits, type ConvGeometry, type PaddingArg, type PaddingMode, type Pair,
} from '../conv/convGeometry';
import { makeBasis, type Basis } from './basis';
import type { BasisName } from './basisOptions';
import { basisConv2d } from './basisConv';
import { BASIS_CONV_KAN_2D } from './classNames';
import { basisConfig, basisOptionsOf, baseInitializer, basisInitializer, positiveInt, oneInput, oneShape, type BasisArgs, defaultName, conv2dGeometry } from './layerArgs';

export interface BasisConvKAN2DArgs extends BasisArgs {
  /** Basis family of the learned functions. */
  basis: BasisName;
  /** Output channels. */
  filters: number;
  kernelSize: number | Pair;
  strides?: number | Pair;
  /** 'valid' (default), 'same', p, [pH, pW] or [[top, bottom], [left, right]], as torch.nn.Conv2d. */
  padding?: PaddingArg;
  dilation?: number | Pair;
  /** Channels are split into `groups` independent groups, as torch.nn.Conv2d(groups=…). */
  groups?: number;
  /** How padding fills the border: 'zeros' (default), 'reflect', 'replicate' or 'circular'. */
  paddingMode?: PaddingMode;
  /** Add the SiLU base branch w_b·SiLU(x) (default true). */
  useBase?: boolean;
  /** Seed of the weight initializers (for repeatable experiments). */
  seed?: number;
  name?: string;
  inputShape?: tf.Shape;
  batchInputShape?: tf.Shape;
  trainable?: boolean;
  dtype?: tf.DataType;
}

export class BasisConvKAN2D extends tf.layers.Layer {
  static className = BASIS_CONV_KAN_2D;
  readonly filters: number;
  readonly geometry: ConvGeometry;
  readonly groups: number;
  readonly basis: Basis;
  readonly useBase: boolean;
  private readonly paddingArg: PaddingArg;
  private readonly seed?: number;
  private basisKernel: tf.LayerVariable | null = null;
  private baseKernel: tf.LayerVariable | null = null;

  constructor(args: BasisConvKAN2DArgs) {
    super({ ...args, name: defaultName(new.target, args.name) });
    const ctx = layerContext(this.getClassName(), this.name);
    this.filters = positiveInt(args.filters, ctx, 'filters');
    this.groups = positiveInt(args.groups ?? 1, ctx, 'groups');
    if (this.filters % this.groups !== 0) {
      throw new ConvKanArgumentError(ctx, 'filters', `divisible by groups (${this.groups})`, String(this.filters));
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
    if (shape.length !== 4) throw new ConvKanArgumentError(this.context, 'input', 'rank 4 [batch, height, width, channels]', `rank ${shape.length} ${show(shape)}`);
    const cin = shape[3];
    if (cin == null || cin % this.groups !== 0) {
      throw new ConvKanArgumentError(this.context, 'input channels', `a known multiple of groups (${this.groups})`, String(cin));
    }
    const [kH, kW] = this.geometry.kernelSize;
    const cg = cin / this.groups;
    this.basisKernel = this.addWeight('basisKernel', [kH, kW, cg * this.basis.size, this.filters], 'float32', basisInitializer(this.seed));
    if (this.useBase) this.baseKernel = this.addWeight('baseKernel', [kH, kW, cg, this.filters], 'float32', baseInitializer(this.seed));
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
      const basisKernel = this.basisKernel!.read() as tf.Tensor4D;
      const baseKernel = this.baseKernel ? (this.baseKernel.read() as tf.Tensor4D) : null;
      return basisConv2d(x, this.basis, this.geometry, this.groups, basisKernel, baseKernel);
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
      ...basisConfig(this.basis.options),
    };
  }
}
tf.serialization.registerClass(BasisConvKAN2D);
