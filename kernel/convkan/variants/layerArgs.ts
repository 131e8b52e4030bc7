// Shared argument handling of the variant layers: the basis settings every layer accepts (and
// their names, for the argument check), how they go into getConfig, and the default initializers.
import * as tf from '@tensorflow/tfjs';
import { basisConfigEntries, BASIS_SETTINGS, type BasisName, type BasisOptions, type ResolvedBasisOptions } from './basisOptions';
import { ConvKanArgumentError } from '../conv/argumentError';
import { defaultLayerName } from '../layers/layerNames';

type Initializer = ReturnType<typeof tf.initializers.varianceScaling>;

/** Basis settings as layer arguments (see BasisOptions). */
export type BasisArgs = Omit<BasisOptions, 'basis'>;

/** The argument names of the basis settings, useBase and seed, for the argument-name check. */
export const BASIS_ARG_NAMES = ['basis', ...BASIS_SETTINGS, 'useBase', 'seed'] as const;

/** The learned weights of the variant layers, as named by their per-weight arguments (basisInitializer, …). */
export const VARIANT_WEIGHT_KEYS = ['basis', 'base'] as const;
export type VariantWeightKey = (typeof VARIANT_WEIGHT_KEYS)[number];

/** Everything a variant layer's getConfig writes about its basis. */
export function basisConfig(o: ResolvedBasisOptions): tf.serialization.ConfigDict {
  return { basis: o.basis, ...basisConfigEntries(o) } as tf.serialization.ConfigDict;
}

export function basisOptionsOf(args: BasisArgs & { basis: BasisName }): BasisOptions {
  return { basis: args.basis, ...Object.fromEntries(BASIS_SETTINGS.map((s) => [s, args[s]])) };
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

export { positiveInt } from '../layers/kanArgs';

/** The single input of a layer call. */
export function oneInput(inputs: tf.Tensor | tf.Tensor[], context: string): tf.Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new ConvKanArgumentError(context, 'inputs', 'one tensor', `${inputs.length} tensors`);
    return inputs[0];
  }
  return inputs;
}

/** One shape from a layer's build/computeOutputShape argument. */
export { singleShape as oneShape } from '../layers/layerInputs';

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
