// ConvKAN1D for signals [batch, length, channels]: the 2-D layer's math on a 1 × L image, so
// strides, 'same'/'valid', dilation, groups and all four padding modes behave as torch.nn.Conv1d.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, layerContext, show } from '../conv/argumentError';
import { resolvePadding, checkPaddingMode, outputSpatial, checkSpatialFits, type ConvGeometry, type PaddingMode } from '../conv/convGeometry';
import { makeBasis, type Basis } from './basis';
import type { BasisName } from './basisOptions';
import { basisConv2d } from './basisConv';
import { BASIS_CONV_KAN_1D } from './classNames';
import { basisConfig, basisOptionsOf, baseInitializer, basisInitializer, positiveInt, oneInput, oneShape, type BasisArgs, defaultName } from './layerArgs';

export interface BasisConvKAN1DArgs extends BasisArgs {
  basis: BasisName;
  filters: number;
  kernelSize: number;
  strides?: number;
  /** 'valid' (default), 'same', p or [left, right]. */
  padding?: number | [number, number] | 'same' | 'valid';
  dilation?: number;
  groups?: number;
  paddingMode?: PaddingMode;
  useBase?: boolean;
  seed?: number;
  name?: string;
  inputShape?: tf.Shape;
  batchInputShape?: tf.Shape;
  trainable?: boolean;
  dtype?: tf.DataType;
}

export class BasisConvKAN1D extends tf.layers.Layer {
  static className = BASIS_CONV_KAN_1D;
  readonly filters: number;
  readonly groups: number;
  readonly geometry: ConvGeometry;
  readonly basis: Basis;
  readonly useBase: boolean;
  private readonly args1d: { kernelSize: number; strides: number; dilation: number; padding: BasisConvKAN1DArgs['padding'] };
  private readonly seed?: number;
  private basisKernel: tf.LayerVariable | null = null;
  private baseKernel: tf.LayerVariable | null = null;

  constructor(args: BasisConvKAN1DArgs) {
    super({ ...args, name: defaultName(new.target, args.name) });
    const ctx = layerContext(this.getClassName(), this.name);
    this.filters = positiveInt(args.filters, ctx, 'filters');
    this.groups = positiveInt(args.groups ?? 1, ctx, 'groups');
    if (this.filters % this.groups !== 0) throw new ConvKanArgumentError(ctx, 'filters', `divisible by groups (${this.groups})`, String(this.filters));
    const k = positiveInt(args.kernelSize, ctx, 'kernelSize');
    const s = positiveInt(args.strides ?? 1, ctx, 'strides');
    const d = positiveInt(args.dilation ?? 1, ctx, 'dilation');
    const p = args.padding ?? 'valid';
    this.args1d = { kernelSize: k, strides: s, dilation: d, padding: p };
    // a 1 × L image: no padding along the height axis
    const p2 = typeof p === 'number' ? [0, p] : Array.isArray(p) ? [[0, 0], p] : p;
    this.geometry = {
      kernelSize: [1, k], strides: [1, s], dilation: [1, d],
      padding: resolvePadding(p2 as Parameters<typeof resolvePadding>[0], [1, k], [1, s], [1, d], ctx),
      paddingMode: checkPaddingMode(args.paddingMode, ctx),
    };
    this.basis = makeBasis(basisOptionsOf(args), ctx);
    this.useBase = args.useBase ?? true;
    this.seed = args.seed;
  }

  private get context(): string {
    return layerContext(this.getClassName(), this.name);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    if (shape.length !== 3) throw new ConvKanArgumentError(this.context, 'input', 'rank 3 [batch, length, channels]', `rank ${shape.length} ${show(shape)}`);
    const cin = shape[2];
    if (cin == null || cin % this.groups !== 0) throw new ConvKanArgumentError(this.context, 'input channels', `a known multiple of groups (${this.groups})`, String(cin));
    const k = this.args1d.kernelSize;
    const cg = cin / this.groups;
    this.basisKernel = this.addWeight('basisKernel', [k, cg * this.basis.size, this.filters], 'float32', basisInitializer(this.seed));
    if (this.useBase) this.baseKernel = this.addWeight('baseKernel', [k, cg, this.filters], 'float32', baseInitializer(this.seed));
    this.inputSpec = [{ ndim: 3, axes: { [-1]: cin } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [n, l] = oneShape(inputShape);
    return [n, outputSpatial(1, l, this.geometry)[1], this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = oneInput(inputs, this.context) as tf.Tensor3D;
      if (x.rank !== 3) throw new ConvKanArgumentError(this.context, 'input', 'rank 3 [batch, length, channels]', `rank ${x.rank} ${show(x.shape)}`);
      const [n, l, c] = x.shape;
      checkSpatialFits(1, l, this.geometry, this.context);
      const as4d = (w: tf.LayerVariable) => tf.expandDims(w.read(), 0) as tf.Tensor4D; // [1, k, ·, Cout]
      const y = basisConv2d(tf.reshape(x, [n, 1, l, c]), this.basis, this.geometry, this.groups, as4d(this.basisKernel!), this.baseKernel ? as4d(this.baseKernel) : null);
      return tf.squeeze(y, [1]); // [N, L', Cout]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.args1d.kernelSize,
      strides: this.args1d.strides,
      padding: this.args1d.padding as tf.serialization.ConfigDictValue,
      dilation: this.args1d.dilation,
      groups: this.groups,
      paddingMode: this.geometry.paddingMode,
      useBase: this.useBase,
      ...basisConfig(this.basis.options),
    };
  }
}
tf.serialization.registerClass(BasisConvKAN1D);
