// Bernstein polynomials of (tanh(x) + 1)/2 ∈ (0, 1) (torch-conv-kan's KABN).
import * as tf from '@tensorflow/tfjs';
import { defineFamily, tanhSampleRange } from './basisFamily';
import { binomial } from './recurrence';
import { bernsteinBasisFused } from '../ops/elementwiseBasis';

/** Bernstein b_{k,d}(u) = C(d, k)·u^k·(1 − u)^{d−k}, k = 0 … d, for u in [0, 1]. */
export function bernsteinB(u: tf.Tensor, degree: number): tf.Tensor {
  return tf.tidy(() => {
    const v = tf.sub(1, u);
    const uPow: tf.Tensor[] = [tf.onesLike(u)];
    const vPow: tf.Tensor[] = [tf.onesLike(u)];
    for (let k = 1; k <= degree; k++) {
      uPow.push(tf.mul(uPow[k - 1], u));
      vPow.push(tf.mul(vPow[k - 1], v));
    }
    const terms = uPow.map((up, k) => tf.mul(tf.mul(up, vPow[degree - k]), binomial(degree, k)));
    return tf.stack(terms, -1); // [..., d + 1]
  });
}

/** x [M] → [M, d + 1] of (tanh x + 1)/2, as a composite of tfjs ops (any backend). */
export function bernsteinComposite(x: tf.Tensor, degree: number): tf.Tensor {
  return tf.tidy(() => bernsteinB(tf.mul(tf.add(tf.tanh(x), 1), 0.5), degree));
}

export function bernsteinValues(u: number, degree: number): number[] {
  return Array.from({ length: degree + 1 }, (_, k) => binomial(degree, k) * u ** k * (1 - u) ** (degree - k));
}

export const bernstein = defineFamily({
  name: 'bernstein',
  classStem: 'KABN',
  settings: ['degree'],
  size: (o) => o.degree + 1,
  expand:
    ({ degree }) =>
    (x) =>
      // the fused kernel (cpu, wasm) where it exists, else the composite of tfjs ops
      bernsteinBasisFused(x, degree) ?? bernsteinComposite(x, degree),
  evaluate:
    ({ degree }) =>
    (x) =>
      bernsteinValues((Math.tanh(x) + 1) / 2, degree),
  sampleRange: tanhSampleRange,
});
