// The basis families' convolution at any rank: BasisConvKAN1D and BasisConvKAN2D are this layer at
// rank 1 and 2 (and the named families, KACNConv2D …, fix its basis). Every edge is
// φ(x) = w_b·SiLU(x) + Σ_k w_k·φ_k(x); a 1-D signal runs as a 1 × L image through basisConv2d.
import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry, ConvRank } from '../conv/convGeometry';
import { KANConv, checkedArgs, convArgNames, type KANConvArgs } from '../layers/kanConvBase';
import type { EdgeFunctionsOptions } from '../layers/kanLayer';
import { outputArgNames, resolveOutputArgs, weightSpec, type ResolvedOutputArgs, type WeightArgs } from '../layers/outputArgs';
import { sampleVariantEdgeFunctions, type VariantEdgeFunctionSamples } from '../inspect/variantEdgeFunctions';
import { makeBasis, type Basis } from './basis';
import type { BasisName } from './basisOptions';
import { basisConv2d } from './basisConv';
import {
  basisConfig,
  basisOptionsOf,
  baseInitializer,
  basisInitializer,
  type BasisArgs,
  BASIS_ARG_NAMES,
  VARIANT_WEIGHT_KEYS,
  type VariantWeightKey,
} from './layerArgs';

export interface BasisConvKANArgs<R extends ConvRank> extends KANConvArgs<R>, BasisArgs, WeightArgs<VariantWeightKey> {
  /** Basis family of the learned functions. */
  basis: BasisName;
  /** Add the SiLU base branch w_b·SiLU(x) (default true). */
  useBase?: boolean;
  /** Seed of the weight initializers (for repeatable experiments). */
  seed?: number;
}

/** Every argument name the basis convolutions (and their families) accept (aliases aside). */
export const BASIS_CONV_KAN_ARG_NAMES = convArgNames(...BASIS_ARG_NAMES, ...outputArgNames(VARIANT_WEIGHT_KEYS));

export abstract class BasisConvKAN<R extends ConvRank> extends KANConv<R> {
  readonly basis: Basis;
  readonly useBase: boolean;
  /** useBias, activation and the weights' initializers/regularizers/constraints. */
  readonly outputArgs: ResolvedOutputArgs<VariantWeightKey>;
  private readonly seed?: number;
  /** [k, Cg·K, Cout] (1-D) or [kH, kW, Cg·K, Cout] (2-D), channel c·K + k holding the weight of φ_k(x_c). */
  private basisKernel: tf.LayerVariable | null = null;
  /** [k, Cg, Cout] or [kH, kW, Cg, Cout]; null without the base branch. */
  private baseKernel: tf.LayerVariable | null = null;

  protected constructor(rank: R, given: BasisConvKANArgs<R>) {
    const args = checkedArgs(new.target, given, BASIS_CONV_KAN_ARG_NAMES);
    super(rank, args);
    const context = this.context();
    this.basis = makeBasis(basisOptionsOf(args), context);
    this.useBase = args.useBase ?? true;
    this.seed = args.seed;
    this.outputArgs = resolveOutputArgs(args, VARIANT_WEIGHT_KEYS, context);
  }

  protected override buildWeights(inChannels: number): void {
    const taps = this.rank === 1 ? [this.geometry.kernelSize[1]] : [...this.geometry.kernelSize];
    const cg = inChannels / this.groups;
    const w = this.outputArgs.weights;
    this.basisKernel = this.addWeight(
      'basisKernel',
      [...taps, cg * this.basis.size, this.filters],
      'float32',
      ...weightSpec(w.basis, basisInitializer(this.seed)),
    );
    if (this.useBase)
      this.baseKernel = this.addWeight(
        'baseKernel',
        [...taps, cg, this.filters],
        'float32',
        ...weightSpec(w.base, baseInitializer(this.seed)),
      );
    if (this.outputArgs.useBias)
      this.bias = this.addWeight('bias', [this.filters], 'float32', ...weightSpec(this.outputArgs.bias, tf.initializers.zeros()));
  }

  protected override convolve(x: tf.Tensor4D, geometry: ConvGeometry): tf.Tensor4D {
    // a 1-D kernel [k, ·, Cout] is the kernel [1, k, ·, Cout] of the 1 × L image
    const kernel = (v: tf.LayerVariable) => (this.rank === 1 ? tf.expandDims(v.read(), 0) : v.read()) as tf.Tensor4D;
    return basisConv2d(x, this.basis, geometry, this.groups, kernel(this.basisKernel!), this.baseKernel ? kernel(this.baseKernel) : null);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      ...this.convConfig(),
      useBase: this.useBase,
      ...basisConfig(this.basis.options),
      ...this.outputArgs.config,
    };
  }

  /** φ per (output, input, kernel tap) edge: see KANLayer.edgeFunctions. */
  edgeFunctions(opts: EdgeFunctionsOptions = {}): VariantEdgeFunctionSamples {
    return sampleVariantEdgeFunctions(this, opts);
  }
}
