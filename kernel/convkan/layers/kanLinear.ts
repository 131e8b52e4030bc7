// KANLinear: the dense KAN layer of efficient-kan as a tfjs-layers Layer. Input [..., inFeatures]
// → [..., units]; weights in tfjs Dense's [in, out] orientation (weightLayout.ts):
// base_weight [in, units], spline_weight [in, gridSize + order, units], spline_scaler [in, units]
// (trainable), grid [in, gridSize + 2·order + 1] (not trainable).
import * as tf from '@tensorflow/tfjs';
import { basisCount, knotCount, uniformKnots } from '../bases/knots';
import { KAN_LINEAR_CLASS_NAME } from './classNames';
import { defaultLayerName } from './layerNames';
import { checkFeatureShape, checkMargin, singleShape, singleTensor } from './layerInputs';
import { KANLayer, type EdgeFunctionsOptions } from './kanLayer';
import { sampleEdgeFunctions, type EdgeFunctionSamples } from '../inspect/edgeFunctions';
import {
  assertFinite,
  positiveInt,
  resolveKanBasisArgs,
  KAN_BASIS_ARG_NAMES,
  KAN_WEIGHT_KEYS,
  type KanBasisArgs,
  type KanWeightKey,
  type ResolvedKanBasisArgs,
} from './kanArgs';
import { TF_LAYER_ARG_NAMES, checkArgNames, denseInputShape, type LinearArgs } from './argNames';
import {
  addBias,
  applyActivation,
  outputArgNames,
  resolveOutputArgs,
  sumRegularizers,
  weightSpec,
  type OutputArgs,
  type ResolvedOutputArgs,
  type WeightArgs,
} from './outputArgs';
import { updateLayerGrid } from './kanGridUpdate';
import type { KanDims } from './weightLayout';
import { initialKanValues } from './kanInit';
import { kanLinearForward, kanRegularizationLoss, kanSplineRegularizer, type KanTensors } from './kanMath';

export interface KANLinearArgs extends LinearArgs, KanBasisArgs, OutputArgs, WeightArgs<KanWeightKey> {
  /** Input features; inferred from the input shape at build when omitted. */
  inFeatures?: number;
}

/** Every argument name KANLinear accepts (aliases aside). */
export const KAN_LINEAR_ARG_NAMES = [
  ...TF_LAYER_ARG_NAMES,
  'units',
  'inFeatures',
  'inputDim',
  ...KAN_BASIS_ARG_NAMES,
  ...outputArgNames(KAN_WEIGHT_KEYS),
];

/**
 * How updateGrid refits the spline weights. 'preserve' (default) fits the unscaled curves, so
 * spline_weight·spline_scaler keeps the layer's function, as a grid update should.
 * 'efficient-kan' is efficient-kan's exact update: the scaled curves are fitted into spline_weight
 * while spline_scaler stays, so with a scaler ≠ 1 the curves change by that factor (a quirk of
 * efficient-kan, kept because its reference vectors hold it).
 */
export type GridRefitMode = 'efficient-kan' | 'preserve';

export interface UpdateGridOptions {
  /** Widening of the uniform part of the new grid beyond the data (default 0.01). */
  margin?: number;
  refit?: GridRefitMode;
}

export class KANLinear extends KANLayer {
  static className = KAN_LINEAR_CLASS_NAME;
  readonly units: number;
  inFeatures: number | null;
  readonly basis: ResolvedKanBasisArgs;
  /** useBias, activation and the weights' initializers/regularizers/constraints. */
  readonly outputArgs: ResolvedOutputArgs<KanWeightKey>;
  baseWeight: tf.LayerVariable | null = null;
  splineWeight: tf.LayerVariable | null = null;
  splineScaler: tf.LayerVariable | null = null;
  grid: tf.LayerVariable | null = null;

  constructor(given: KANLinearArgs) {
    const args = checkArgNames(KAN_LINEAR_CLASS_NAME, given.name, given, KAN_LINEAR_ARG_NAMES);
    super({ ...denseInputShape(args), name: args.name ?? defaultLayerName('kan_linear') });
    const context = this.context();
    this.units = positiveInt(args.units, context, 'units');
    this.inFeatures = args.inFeatures == null ? null : positiveInt(args.inFeatures, context, 'inFeatures');
    this.basis = resolveKanBasisArgs(args, context);
    this.outputArgs = resolveOutputArgs(args, KAN_WEIGHT_KEYS, context);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = this.checkInputShape(singleShape(inputShape));
    const inF = shape[shape.length - 1] as number;
    this.inFeatures = inF;
    const { gridSize, splineOrder } = this.basis;
    const nb = basisCount(gridSize, splineOrder);
    const init = initialKanValues({ ...this.basis, ...this.dims });
    const zeros = tf.initializers.zeros();
    const w = this.outputArgs.weights;
    this.baseWeight = this.addWeight('base_weight', [inF, this.units], 'float32', ...weightSpec(w.base, zeros));
    const [splineInit, splineReg, , splineConstraint] = weightSpec(w.spline, zeros);
    this.splineWeight = this.addWeight(
      'spline_weight',
      [inF, nb, this.units],
      'float32',
      splineInit,
      sumRegularizers(this.splineRegularizer(), splineReg),
      true,
      splineConstraint,
    );
    if (this.basis.enableStandaloneScaleSpline)
      this.splineScaler = this.addWeight('spline_scaler', [inF, this.units], 'float32', ...weightSpec(w.scaler, zeros));
    this.grid = this.addWeight('grid', [inF, knotCount(gridSize, splineOrder)], 'float32', zeros, undefined, false);
    if (this.outputArgs.useBias) this.bias = this.addWeight('bias', [this.units], 'float32', ...weightSpec(this.outputArgs.bias, zeros));
    tf.tidy(() => {
      // efficient-kan's initialization, for each weight that has no initializer of the user's
      if (!w.base.initializer) this.baseWeight!.write(tf.tensor(init.base, [inF, this.units]));
      if (!w.spline.initializer) this.splineWeight!.write(tf.tensor(init.spline, [inF, nb, this.units]));
      if (this.splineScaler && init.scaler && !w.scaler.initializer) this.splineScaler.write(tf.tensor(init.scaler, [inF, this.units]));
      const knots = uniformKnots(gridSize, splineOrder, this.basis.gridRange);
      this.grid!.write(tf.tile(tf.tensor2d(Float32Array.from(knots), [1, knots.length]), [inF, 1]));
    });
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const given = singleTensor(inputs, this.context());
      const x = given.dtype === 'float32' ? given : tf.cast(given, 'float32'); // int images in, float math out
      this.checkInputShape(x.shape);
      if (this.basis.checkFinite) assertFinite(x.dataSync(), x.shape, this.context());
      const flat = tf.reshape(x, [-1, this.inFeatures as number]) as tf.Tensor2D; // [M, in]
      const y = kanLinearForward(flat, this.kanTensors(), this.basis.splineOrder, 1); // [M, units]
      return applyActivation(addBias(tf.reshape(y, [...x.shape.slice(0, -1), this.units]), this.bias), this.outputArgs.activation);
    });
  }

  /** The weight regularizer of spline_weight when `regularization` was asked for. */
  private splineRegularizer(): ReturnType<typeof kanSplineRegularizer> | undefined {
    return this.basis.regularization ? kanSplineRegularizer(this.basis.regularization) : undefined;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = this.checkInputShape(singleShape(inputShape));
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { seed, ...basis } = this.basis;
    const config: tf.serialization.ConfigDict = { units: this.units, inFeatures: this.inFeatures, ...basis, ...this.outputArgs.config };
    if (seed != null) config.seed = seed;
    return { ...super.getConfig(), ...config };
  }

  /** Sizes of the weights as a 1×1, one-group KAN (after build). */
  get dims(): KanDims {
    return { groups: 1, outPerGroup: this.units, inPerGroup: this.inFeatures as number, kh: 1, kw: 1 };
  }

  /** The weights as the shared KAN math sees them: a 1×1 kernel, one group. */
  kanTensors(): KanTensors {
    this.assertBuilt('kanTensors');
    const inF = this.inFeatures as number;
    return {
      knots: tf.reshape(this.grid!.read(), [1, 1, inF, -1]) as tf.Tensor4D,
      base: tf.reshape(this.baseWeight!.read(), [1, 1, inF, this.units]) as tf.Tensor4D,
      spline: tf.reshape(this.splineWeight!.read(), [1, 1, inF, -1, this.units]) as tf.Tensor5D,
      scaler: this.splineScaler ? (tf.reshape(this.splineScaler.read(), [1, 1, inF, this.units]) as tf.Tensor4D) : null,
    };
  }

  /** efficient-kan's update_grid(x, margin): data-adapted knots, then a least-squares refit of spline_weight. */
  updateGrid(x: tf.Tensor, options: UpdateGridOptions | number = {}): void {
    const opts = typeof options === 'number' ? { margin: options } : options;
    this.assertBuilt('updateGrid');
    tf.tidy(() => {
      this.checkInputShape(x.shape);
      const inF = this.inFeatures as number;
      const samples = tf.reshape(x, [-1, inF]);
      updateLayerGrid(
        { dims: this.dims, basis: this.basis, tensors: this.kanTensors(), grid: this.grid!, splineWeight: this.splineWeight! },
        samples.dataSync() as Float32Array,
        samples.shape[0],
        opts.refit ?? 'preserve',
        checkMargin(opts.margin, this.context()),
      );
    });
  }

  /** efficient-kan's regularization_loss(regularize_activation, regularize_entropy) on spline_weight. */
  regularizationLoss(regActivation = 1, regEntropy = 1): tf.Scalar {
    this.assertBuilt('regularizationLoss');
    return kanRegularizationLoss(this.splineWeight!.read(), regActivation, regEntropy);
  }

  private checkInputShape(shape: tf.Shape): tf.Shape {
    checkFeatureShape(shape, this.inFeatures, this.context());
    return shape;
  }

  /** KANLinear's φ per (output, input feature) edge, with its knots: see KANLayer.edgeFunctions. */
  edgeFunctions(opts: EdgeFunctionsOptions = {}): EdgeFunctionSamples {
    return sampleEdgeFunctions(this, opts);
  }
}
tf.serialization.registerClass(KANLinear);

export function kanLinear(args: KANLinearArgs): KANLinear {
  return new KANLinear(args);
}
