// Shared argument handling of the variant layers: the basis settings every layer accepts (and
// their names, for the argument check), how they go into getConfig, and the default initializers.
import * as tf from '@tensorflow/tfjs';
import { basisConfigEntries, BASIS_SETTINGS, type BasisName, type BasisOptions, type ResolvedBasisOptions } from './basisOptions';

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
