// Shared argument handling of the variant layers: the basis settings every layer accepts, how
// they go into getConfig, and the initializers of the two weight tensors.
import * as tf from '@tensorflow/tfjs';
import { basisConfigEntries, type BasisName, type BasisOptions, type ResolvedBasisOptions } from './basisOptions';
import { ConvKanArgumentError, show } from '../conv/argumentError';

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
