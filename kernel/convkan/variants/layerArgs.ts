// Shared argument handling of the variant layers: the basis settings every layer accepts, how
// they go into getConfig, and the initializers of the two weight tensors.
import * as tf from '@tensorflow/tfjs';
import { basisConfigEntries, type BasisName, type BasisOptions, type ResolvedBasisOptions } from './basisOptions';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import { defaultLayerName } from '../layers/layerNames';
import { toPair, resolvePadding, checkPaddingMode, type ConvGeometry, type PaddingArg, type PaddingMode, type Pair } from '../conv/convGeometry';

type Initializer = ReturnType<typeof tf.initializers.varianceScaling>;

/** Basis settings as layer arguments (see BasisOptions). */
export type BasisArgs = Omit<BasisOptions, 'basis'>;

/** Everything a variant layer's getConfig writes about its basis. */
export function basisConfig(o: ResolvedBasisOptions): tf.serialization.ConfigDict {
  return { basis: o.basis, ...basisConfigEntries(o) } as tf.serialization.ConfigDict;
}

export function basisOptionsOf(args: BasisArgs & { basis: BasisName }): BasisOptions {
  const { basis, degree, gridSize, gridRange, splineOrder, alpha, beta, gramPoints } = args;
  return { basis, degree, gridSize, gridRange, splineOrder, alpha, beta, gramPoints };
}

/** Base branch: PyTorch's Conv2d default, U(±1/√fanIn). */
export function baseInitializer(seed?: number): Initializer {
  return tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed });
}

/**
 * Basis weights: N(0, σ²) with σ² = 1/fanIn (fanIn = kernel area · C/G · K). Each basis value is O(1),
 * so a fresh layer's basis branch has O(1) output variance, like torch-conv-kan's polynomial weights.
 */
export function basisInitializer(seed?: number): Initializer {
  return tf.initializers.varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed });
}

export function positiveInt(value: unknown, context: string, argument: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ConvKanArgumentError(context, argument, 'a positive integer', show(value));
  return value;
}

/** The single input of a layer call. */
export function oneInput(inputs: tf.Tensor | tf.Tensor[], context: string): tf.Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new ConvKanArgumentError(context, 'inputs', 'one tensor', `${inputs.length} tensors`);
    return inputs[0];
  }
  return inputs;
}

/** One shape from a layer's build/computeOutputShape argument. */
export function oneShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
  return Array.isArray(shape[0]) ? (shape as tf.Shape[])[0] : (shape as tf.Shape);
}

/** 'KACNConv2D' → 'kacn_conv2d': readable default layer names (tfjs would make 'kac_n_conv2_d_KACNConv2D1'). */
export function layerNamePrefix(className: string): string {
  return className
    .replace(/KAN/g, 'Kan')
    .replace(/ReLU/g, 'Relu')
    .replace(/(\d)D$/, '$1d')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The user's name, else a numbered default for the class (its className static). */
export function defaultName(cls: unknown, name: string | undefined): string {
  return name ?? defaultLayerName(layerNamePrefix((cls as { className: string }).className));
}

/** The Conv2d-style arguments of the 2-D variant layers (kernel, stride, padding, dilation, mode). */
export interface Conv2dGeometryArgs {
  kernelSize: number | Pair;
  strides?: number | Pair;
  padding?: PaddingArg;
  dilation?: number | Pair;
  paddingMode?: PaddingMode;
}

/** Checks and resolves the Conv2d-style arguments once, in the constructor; `padding` defaults to 'valid'. */
export function conv2dGeometry(args: Conv2dGeometryArgs, context: string): { paddingArg: PaddingArg; geometry: ConvGeometry } {
  const kernelSize = toPair(args.kernelSize, 1, context, 'kernelSize');
  const strides = toPair(args.strides, 1, context, 'strides');
  const dilation = toPair(args.dilation, 1, context, 'dilation');
  const paddingArg = args.padding ?? 'valid';
  return {
    paddingArg,
    geometry: {
      kernelSize, strides, dilation,
      padding: resolvePadding(paddingArg, kernelSize, strides, dilation, context),
      paddingMode: checkPaddingMode(args.paddingMode, context),
    },
  };
}
