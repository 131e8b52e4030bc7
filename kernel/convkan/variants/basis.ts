// One object per configured basis: how many functions it has, its tensor expansion used by the
// layers and its float64 host evaluation used by references and plots. The math is the family's
// (bases/<family>.ts); this adds the layout every layer relies on.
import * as tf from '@tensorflow/tfjs';
import { resolveBasisOptions, type BasisOptions, type ResolvedBasisOptions } from './basisOptions';
import { basisFamily } from '../bases/registry';
import type { BasisFamily } from '../bases/basisFamily';

export interface Basis {
  readonly options: ResolvedBasisOptions;
  readonly family: BasisFamily;
  /** Number of functions per input value (K). */
  readonly size: number;
  /** x: [..., F] → [..., F·K], function k of feature f at index f·K + k. Differentiable w.r.t. x. */
  expand(x: tf.Tensor): tf.Tensor;
  /** φ_0(x) … φ_{K−1}(x) in float64 (includes the same input map as `expand`). */
  evaluate(x: number): number[];
}

/**
 * Input maps: the polynomial families act on tanh(x) ∈ (−1, 1) (Bernstein on (tanh(x) + 1)/2 ∈ (0, 1)),
 * as torch-conv-kan's KACN/KAGN/KAJN do; grid families act on x itself.
 */
export function makeBasis(options: BasisOptions, context = 'makeBasis'): Basis {
  const o = resolveBasisOptions(options, context);
  const family = basisFamily(o.basis, context);
  const size = family.size(o);
  const perValue = family.expand(o); // [M] → [M, K]
  return {
    options: o,
    family,
    size,
    expand: (x) =>
      tf.tidy(() => {
        // Work on a flat [M] vector, so every intermediate (and the stack/slice gradients) is rank
        // 2: tfjs-backend-wasm is orders of magnitude slower on rank-5 slices.
        const phi = perValue(tf.reshape(x, [x.size])); // [M, K]
        return tf.reshape(phi, [...x.shape.slice(0, -1), x.shape[x.rank - 1] * size]); // [..., F·K]
      }),
    evaluate: family.evaluate(o),
  };
}
