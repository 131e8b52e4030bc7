// The three-term recurrence shared by the polynomial families: a composite of tfjs ops (any
// backend, differentiable) and, where the backend has it, the fused kernel of ops/polynomialBasis.
import * as tf from '@tensorflow/tfjs';
import { polynomialBasis } from '../ops/polynomialBasis';
import type { RecurrenceCoefficients } from '../ops/polynomialMath';

/** Runs P_{n+1} = next(n, P_n, P_{n−1}) from P_0 = 1, P_1 = p1 and stacks P_0 … P_d on a new last axis. */
export function recurrence(
  t: tf.Tensor,
  degree: number,
  next: (n: number, pn: tf.Tensor, pnm1: tf.Tensor) => tf.Tensor,
  p1: tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    const ps: tf.Tensor[] = [tf.onesLike(t)];
    if (degree >= 1) ps.push(p1);
    for (let n = 1; n < degree; n++) ps.push(next(n, ps[n], ps[n - 1]));
    return tf.stack(ps, -1); // [..., d + 1]
  });
}

/** x [M] → [M, d + 1] of tanh(x): the fused kernel (cpu, wasm: one pass) where it exists, else the composite. */
export function fusedOr(coeffs: RecurrenceCoefficients, composite: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  return (x) => (coeffs.length > 0 ? polynomialBasis(x, coeffs) : null) ?? composite(x);
}

export function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Generalized binomial C(x, k) = x(x−1)…(x−k+1)/k! for real x. */
export function gbinom(x: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (x - i)) / (i + 1);
  return r;
}
