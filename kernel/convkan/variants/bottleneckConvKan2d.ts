// Bottleneck ConvKAN2D for layers with many channels: a 1×1 convolution squeezes C_in to r
// channels, the KAN convolution runs in that reduced space (r → r), and a 1×1 convolution expands
// to C_out. The expanded basis then has r·K channels instead of C_in·K (torch-conv-kan's
// BottleNeck layers, whose default is r = max(C_in, C_out)/4, at least min(16, C_in, C_out)).
// The 1×1 convolutions are matrix products: tf.conv2d cannot train on wasm (no Conv2DBackpropFilter).
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError } from '../conv/argumentError';
import type { ConvGeometry } from '../conv/convGeometry';
import { KANConv, checkedArgs, convArgNames } from '../layers/kanConvBase';
import type { EdgeFunctionsOptions } from '../layers/kanLayer';
import { outputArgNames, resolveOutputArgs, weightSpec, type ResolvedOutputArgs, type WeightArgs } from '../layers/outputArgs';
import { withInputStatistics, type EdgeLayout } from '../inspect/inputStatistics';
import type { VariantEdgeFunctionSamples } from '../inspect/variantEdgeFunctions';
import { makeBasis, type Basis } from './basis';
import { basisConv2d } from './basisConv';
import { BOTTLENECK_CONV_KAN_2D } from './classNames';
import type { BasisConvKAN2DArgs } from './basisConvKan2d';
import { sampleBasisEdgeFunctions } from './edgeFunctions';
import {
  basisConfig,
  basisOptionsOf,
  baseInitializer,
  basisInitializer,
  positiveInt,
  BASIS_ARG_NAMES,
  VARIANT_WEIGHT_KEYS,
} from './layerArgs';

/** The learned weights: the KAN convolution's two, and the squeezing and expanding 1×1 convolutions. */
export const BOTTLENECK_WEIGHT_KEYS = [...VARIANT_WEIGHT_KEYS, 'squeeze', 'expand'] as const;
type BottleneckWeightKey = (typeof BOTTLENECK_WEIGHT_KEYS)[number];

export interface BottleneckConvKAN2DArgs extends BasisConvKAN2DArgs, WeightArgs<BottleneckWeightKey> {
  /**
   * Channels r of the reduced space; default max(C_in, C_out)/reduction, at least min(minInternal, C_in, C_out), rounded up to a multiple
   * of groups.
   */
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
export const BOTTLENECK_CONV_KAN_2D_ARG_NAMES = convArgNames(
  ...BASIS_ARG_NAMES,
  'bottleneckChannels',
  'reduction',
  'minInternal',
  ...outputArgNames(BOTTLENECK_WEIGHT_KEYS),
);

/**
 * A 1×1 convolution as one matrix product over the pixels: [N, H, W, C] · [1, 1, C, C'] → [N, H, W, C'] (MatMul has its gradient on every
 * backend).
 */
function pointwise(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const out = kernel.shape[3];
  return tf.reshape(tf.matMul(tf.reshape(x, [n * h * w, c]), tf.reshape(kernel, [c, out])), [n, h, w, out]) as tf.Tensor4D;
}

export class BottleneckConvKAN2D extends KANConv<2> {
  static className = BOTTLENECK_CONV_KAN_2D;
  readonly basis: Basis;
  readonly useBase: boolean;
  readonly reduction: number;
  readonly minInternal: number;
  /** useBias, activation and the weights' initializers/regularizers/constraints. */
  readonly outputArgs: ResolvedOutputArgs<BottleneckWeightKey>;
  /** r, known after build unless given. */
  bottleneckChannels: number | null;
  private readonly seed?: number;
  private squeeze: tf.LayerVariable | null = null;
  private basisKernel: tf.LayerVariable | null = null;
  private baseKernel: tf.LayerVariable | null = null;
  private expand: tf.LayerVariable | null = null;

  constructor(given: BottleneckConvKAN2DArgs) {
    const args = checkedArgs(new.target, given, BOTTLENECK_CONV_KAN_2D_ARG_NAMES);
    super(2, args);
    const ctx = this.context();
    this.reduction = positiveInt(args.reduction ?? 4, ctx, 'reduction');
    this.minInternal = positiveInt(args.minInternal ?? 16, ctx, 'minInternal');
    this.bottleneckChannels = args.bottleneckChannels == null ? null : positiveInt(args.bottleneckChannels, ctx, 'bottleneckChannels');
    if (this.bottleneckChannels != null && this.bottleneckChannels % this.groups !== 0) {
      throw new ConvKanArgumentError(ctx, 'bottleneckChannels', `divisible by groups (${this.groups})`, String(this.bottleneckChannels));
    }
    this.basis = makeBasis(basisOptionsOf(args), ctx);
    this.useBase = args.useBase ?? true;
    this.seed = args.seed;
    this.outputArgs = resolveOutputArgs(args, BOTTLENECK_WEIGHT_KEYS, ctx);
  }

  protected override buildWeights(cin: number): void {
    const r = (this.bottleneckChannels ??= defaultBottleneckChannels(cin, this.filters, this.groups, this.reduction, this.minInternal));
    const [kH, kW] = this.geometry.kernelSize;
    const rg = r / this.groups;
    const w = this.outputArgs.weights;
    this.squeeze = this.addWeight('squeezeKernel', [1, 1, cin, r], 'float32', ...weightSpec(w.squeeze, baseInitializer(this.seed)));
    this.basisKernel = this.addWeight(
      'basisKernel',
      [kH, kW, rg * this.basis.size, r],
      'float32',
      ...weightSpec(w.basis, basisInitializer(this.seed)),
    );
    if (this.useBase)
      this.baseKernel = this.addWeight('baseKernel', [kH, kW, rg, r], 'float32', ...weightSpec(w.base, baseInitializer(this.seed)));
    this.expand = this.addWeight('expandKernel', [1, 1, r, this.filters], 'float32', ...weightSpec(w.expand, baseInitializer(this.seed)));
    if (this.outputArgs.useBias)
      this.bias = this.addWeight('bias', [this.filters], 'float32', ...weightSpec(this.outputArgs.bias, tf.initializers.zeros()));
  }

  protected override convolve(x: tf.Tensor4D, geometry: ConvGeometry): tf.Tensor4D {
    const k = basisConv2d(
      this.squeezed(x),
      this.basis,
      geometry,
      this.groups,
      this.basisKernel!.read() as tf.Tensor4D,
      this.baseKernel ? (this.baseKernel.read() as tf.Tensor4D) : null,
    ); // [N, H', W', r]
    return pointwise(k, this.expand!.read() as tf.Tensor4D); // [N, H', W', Cout]
  }

  /** NHWC [N, H, W, C_in] → the reduced space [N, H, W, r] the KAN convolution runs in. */
  private squeezed(x: tf.Tensor4D): tf.Tensor4D {
    return pointwise(x, this.squeeze!.read() as tf.Tensor4D);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      ...this.convConfig(),
      useBase: this.useBase,
      bottleneckChannels: this.bottleneckChannels,
      reduction: this.reduction,
      minInternal: this.minInternal,
      ...basisConfig(this.basis.options),
      ...this.outputArgs.config,
    };
  }

  /**
   * The φ of the inner KAN convolution, r → r channels of the reduced space (`in` and `out` are
   * reduced channels; the 1×1 squeeze and expand are linear): see KANLayer.edgeFunctions. With
   * opts.x, the statistics are those of the squeezed input, which is what these edges see.
   */
  edgeFunctions(opts: EdgeFunctionsOptions = {}): VariantEdgeFunctionSamples {
    const { x, ...sampling } = opts;
    const samples: VariantEdgeFunctionSamples = { ...sampleBasisEdgeFunctions(this, sampling), importanceFrom: 'grid' };
    if (!x) return samples;
    const layout: EdgeLayout = {
      kind: 'conv',
      inChannels: this.bottleneckChannels as number,
      geometry: this.geometry,
      channelsFirst: false,
      oneD: false,
    };
    const resample = (range: [number, number], points: number) =>
      sampleBasisEdgeFunctions(this, { outChannels: samples.outChannels, inChannels: samples.inChannels, points, range }).functions;
    this.checkInputShape(x.shape);
    const inner = tf.tidy(() => this.squeezed(this.toImage(tf.cast(x, 'float32')))); // [N, H, W, r], NHWC whatever the layer's data format
    try {
      return withInputStatistics(samples, inner, layout, this.context(), resample);
    } finally {
      inner.dispose();
    }
  }
}
tf.serialization.registerClass(BottleneckConvKAN2D);
