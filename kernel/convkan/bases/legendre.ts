// Legendre polynomials of tanh(x) (torch-conv-kan's KALN).
import * as tf from '@tensorflow/tfjs';
import { defineFamily, tanhSampleRange } from './basisFamily';
import { binomial, fusedOr, recurrence } from './recurrence';
import { recurrenceRows, type RecurrenceCoefficients } from '../ops/polynomialMath';

/** Legendre P_0 … P_d: (n+1)·P_{n+1} = (2n+1)·t·P_n − n·P_{n−1}. */
export function legendreP(t: tf.Tensor, degree: number): tf.Tensor {
  return recurrence(t, degree, (n, pn, pnm1) => tf.div(tf.sub(tf.mul(tf.mul(t, 2 * n + 1), pn), tf.mul(pnm1, n)), n + 1), t);
}

/** P_n(t) = 2^{−n} Σ_k C(n,k)² (t − 1)^{n−k} (t + 1)^k (explicit sum, not the recurrence). */
export function legendreValues(t: number, degree: number): number[] {
  return Array.from({ length: degree + 1 }, (_, n) => {
    let s = 0;
    for (let k = 0; k <= n; k++) s += binomial(n, k) ** 2 * (t - 1) ** (n - k) * (t + 1) ** k;
    return s / 2 ** n;
  });
}

/** (k+1)·P_{k+1} = (2k+1)·t·P_k − k·P_{k−1}. */
export function legendreCoefficients(degree: number): RecurrenceCoefficients {
  return recurrenceRows(degree, (k) => [(2 * k + 1) / (k + 1), 0, k / (k + 1)]);
}

export const legendre = defineFamily({
  name: 'legendre',
  classStem: 'KALN',
  settings: ['degree'],
  size: (o) => o.degree + 1,
  expand: ({ degree }) => fusedOr(legendreCoefficients(degree), (x) => legendreP(tf.tanh(x), degree)),
  evaluate:
    ({ degree }) =>
    (x) =>
      legendreValues(Math.tanh(x), degree),
  sampleRange: tanhSampleRange,
  recurrence: ({ degree }) => legendreCoefficients(degree),
});
