// KANLinear with any basis family: y = SiLU(x)·W_b + Σ_k φ_k(x)·W_k over the last axis, the
// counterpart of the ConvKAN layers for flattened features (and efficient-kan's KANLinear form).
import * as tf from '@tensorflow/tfjs';
import { makeBasis, type Basis } from './basis';
import type { BasisName } from './basisOptions';
import { silu } from '../layers/kanMath';
import { BASIS_KAN_LINEAR } from './classNames';
import {
  basisConfig,
  basisOptionsOf,
  baseInitializer,
  basisInitializer,
  positiveInt,
  type BasisArgs,
  BASIS_ARG_NAMES,
  VARIANT_WEIGHT_KEYS,
  type VariantWeightKey,
} from './layerArgs';
import { TF_LAYER_ARG_NAMES, denseInputShape, type LinearArgs } from '../layers/argNames';
import { KANLayer, type EdgeFunctionsOptions } from '../layers/kanLayer';
import { checkedArgs } from '../layers/kanConvBase';
import { defaultName } from '../layers/layerNames';
import { checkFeatureShape, singleShape, singleTensor } from '../layers/layerInputs';
import { sampleVariantEdgeFunctions, type VariantEdgeFunctionSamples } from '../inspect/variantEdgeFunctions';
import {
  addBias,
  applyActivation,
  outputArgNames,
  resolveOutputArgs,
  weightSpec,
  type OutputArgs,
  type ResolvedOutputArgs,
  type WeightArgs,
} from '../layers/outputArgs';

export interface BasisKANLinearArgs extends LinearArgs, BasisArgs, OutputArgs, WeightArgs<VariantWeightKey> {
  basis: BasisName;
  /** Add the SiLU base branch (default true). */
  useBase?: boolean;
  seed?: number;
}

/** Every argument name BasisKANLinear (and its families) accepts (aliases aside). */
export const BASIS_KAN_LINEAR_ARG_NAMES = [
  ...TF_LAYER_ARG_NAMES,
  'units',
  'inputDim',
  ...BASIS_ARG_NAMES,
  ...outputArgNames(VARIANT_WEIGHT_KEYS),
];

/** [..., F] · W, flattening the leading axes for one matMul. */
function lastAxisMatMul(x: tf.Tensor, w: tf.Tensor2D): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  const y = tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]) as tf.Tensor2D, w); // [prod(lead), units]
  return tf.reshape(y, [...lead, w.shape[1]]);
}

export class BasisKANLinear extends KANLayer {
  static className = BASIS_KAN_LINEAR;
  readonly units: number;
  readonly basis: Basis;
  readonly useBase: boolean;
  /** Input features, taken from the input at build. */
  inFeatures: number | null = null;
  /** useBias, activation and the weights' initializers/regularizers/constraints. */
  readonly outputArgs: ResolvedOutputArgs<VariantWeightKey>;
  private readonly seed?: number;
  private basisKernel: tf.LayerVariable | null = null;
  private baseKernel: tf.LayerVariable | null = null;

  constructor(given: BasisKANLinearArgs) {
    const args = checkedArgs(new.target, given, BASIS_KAN_LINEAR_ARG_NAMES);
    super({ ...denseInputShape(args), name: defaultName(new.target, args.name) });
    const ctx = this.context();
    this.units = positiveInt(args.units, ctx, 'units');
    this.basis = makeBasis(basisOptionsOf(args), ctx);
    this.useBase = args.useBase ?? true;
    this.seed = args.seed;
    this.outputArgs = resolveOutputArgs(args, VARIANT_WEIGHT_KEYS, ctx);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const f = (this.inFeatures = checkFeatureShape(singleShape(inputShape), this.inFeatures, this.context()));
    const w = this.outputArgs.weights;
    this.basisKernel = this.addWeight(
      'basisKernel',
      [f * this.basis.size, this.units],
      'float32',
      ...weightSpec(w.basis, basisInitializer(this.seed)),
    );
    if (this.useBase)
      this.baseKernel = this.addWeight('baseKernel', [f, this.units], 'float32', ...weightSpec(w.base, baseInitializer(this.seed)));
    if (this.outputArgs.useBias)
      this.bias = this.addWeight('bias', [this.units], 'float32', ...weightSpec(this.outputArgs.bias, tf.initializers.zeros()));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = singleShape(inputShape);
    checkFeatureShape(shape, this.inFeatures, this.context());
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const given = singleTensor(inputs, this.context());
      const x = given.dtype === 'float32' ? given : tf.cast(given, 'float32'); // int images in, float math out
      checkFeatureShape(x.shape, this.inFeatures, this.context());
      const y = lastAxisMatMul(this.basis.expand(x), this.basisKernel!.read() as tf.Tensor2D);
      const sum = this.baseKernel ? tf.add(y, lastAxisMatMul(silu(x), this.baseKernel.read() as tf.Tensor2D)) : y;
      return applyActivation(addBias(sum, this.bias), this.outputArgs.activation);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      useBase: this.useBase,
      ...basisConfig(this.basis.options),
      ...this.outputArgs.config,
    };
  }

  /** φ per (output, input feature) edge: see KANLayer.edgeFunctions. */
  edgeFunctions(opts: EdgeFunctionsOptions = {}): VariantEdgeFunctionSamples {
    return sampleVariantEdgeFunctions(this, opts);
  }
}
tf.serialization.registerClass(BasisKANLinear);
