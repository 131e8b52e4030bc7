// One object per configured basis: how many functions it has, its tensor expansion used by the
// layers and its float64 host evaluation used by references and plots.
import * as tf from '@tensorflow/tfjs';
import { resolveBasisOptions, type BasisOptions, type ResolvedBasisOptions } from './basisOptions';
import { chebyshevT, legendreP, gramP, jacobiP, bernsteinB, chebyshevValues, legendreValues, gramValues, jacobiValues, bernsteinValues } from './polynomials';
import { rbfBasis, rbfValues, waveletBasis, waveletValues, reluKanBasis, reluKanValues, fixedBsplineBasis, fixedBsplineValues } from './gridFunctions';
import { basisCount } from '../bases/knots';
import { polynomialBasis } from '../ops/polynomialBasis';
import { chebyshevCoefficients, gramCoefficients, jacobiRecurrence, legendreCoefficients } from '../ops/polynomialMath';

/** The fused recurrence kernel (cpu, wasm: one pass, ops/polynomialBasis.ts) where it exists, else the composite of tfjs ops. */
function fusedOr(coeffs: Float32Array, composite: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  return (x) => (coeffs.length > 0 ? polynomialBasis(x, coeffs) : null) ?? composite(x);
}

export interface Basis {
  readonly options: ResolvedBasisOptions;
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
  const { degree, gridSize, gridRange, splineOrder, alpha, beta, gramPoints } = o;
  let size: number;
  let perValue: (x: tf.Tensor) => tf.Tensor; // [..., F] → [..., F, K]
  let host: (x: number) => number[];
  switch (o.basis) {
    case 'chebyshev':
      size = degree + 1;
      perValue = fusedOr(chebyshevCoefficients(degree), (x) => chebyshevT(tf.tanh(x), degree));
      host = (x) => chebyshevValues(Math.tanh(x), degree);
      break;
    case 'legendre':
      size = degree + 1;
      perValue = fusedOr(legendreCoefficients(degree), (x) => legendreP(tf.tanh(x), degree));
      host = (x) => legendreValues(Math.tanh(x), degree);
      break;
    case 'gram':
      size = degree + 1;
      perValue = fusedOr(gramCoefficients(degree, gramPoints), (x) => gramP(tf.tanh(x), degree, gramPoints));
      host = (x) => gramValues(Math.tanh(x), degree, gramPoints);
      break;
    case 'jacobi':
      size = degree + 1;
      perValue = fusedOr(jacobiRecurrence(degree, alpha, beta), (x) => jacobiP(tf.tanh(x), degree, alpha, beta));
      host = (x) => jacobiValues(Math.tanh(x), degree, alpha, beta);
      break;
    case 'bernstein':
      size = degree + 1;
      perValue = (x) => bernsteinB(tf.mul(tf.add(tf.tanh(x), 1), 0.5), degree);
      host = (x) => bernsteinValues((Math.tanh(x) + 1) / 2, degree);
      break;
    case 'rbf':
      size = gridSize;
      perValue = (x) => rbfBasis(x, gridSize, gridRange);
      host = (x) => rbfValues(x, gridSize, gridRange);
      break;
    case 'mexicanHat':
    case 'morlet':
    case 'dog': {
      const w = o.basis;
      size = gridSize;
      perValue = (x) => waveletBasis(x, w, gridSize, gridRange);
      host = (x) => waveletValues(x, w, gridSize, gridRange);
      break;
    }
    case 'reluKan':
      size = gridSize + splineOrder;
      perValue = (x) => reluKanBasis(x, gridSize, splineOrder, gridRange);
      host = (x) => reluKanValues(x, gridSize, splineOrder, gridRange);
      break;
    case 'bspline':
      size = basisCount(gridSize, splineOrder);
      perValue = (x) => fixedBsplineBasis(x, gridSize, splineOrder, gridRange);
      host = (x) => fixedBsplineValues(x, gridSize, splineOrder, gridRange);
      break;
  }
  return {
    options: o,
    size,
    expand: (x) =>
      tf.tidy(() => {
        // Work on a flat [M] vector, so every intermediate (and the stack/slice gradients) is rank
        // 2: tfjs-backend-wasm is orders of magnitude slower on rank-5 slices.
        const phi = perValue(tf.reshape(x, [x.size])); // [M, K]
        return tf.reshape(phi, [...x.shape.slice(0, -1), x.shape[x.rank - 1] * size]); // [..., F·K]
      }),
    evaluate: host,
  };
}
