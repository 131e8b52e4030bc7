// Gram polynomials of tanh(x) (torch-conv-kan's KAGN).
import * as tf from '@tensorflow/tfjs';
import { defineFamily, tanhSampleRange } from './basisFamily';
import { checkIntAtLeast } from './basisSettings';
import { fusedOr, recurrence } from './recurrence';
import { recurrenceRows, type RecurrenceCoefficients } from '../ops/polynomialMath';

/**
 * Gram polynomials (monic) p_0 … p_d, orthogonal under the plain sum over the m points
 * x_i = −1 + (2i + 1)/m, i = 0 … m−1: p_{n+1} = t·p_n − b_n·p_{n−1}, b_n = n²(m² − n²) / (m²(4n² − 1)).
 * As m → ∞ they tend to the monic Legendre polynomials.
 */
export function gramP(t: tf.Tensor, degree: number, points: number): tf.Tensor {
  return recurrence(t, degree, (n, pn, pnm1) => tf.sub(tf.mul(t, pn), tf.mul(pnm1, gramB(n, points))), t);
}

export function gramB(n: number, m: number): number {
  return (n * n * (m * m - n * n)) / (m * m * (4 * n * n - 1));
}

export function gramValues(t: number, degree: number, points: number): number[] {
  const p = [1];
  if (degree >= 1) p.push(t);
  for (let n = 1; n < degree; n++) p.push(t * p[n] - gramB(n, points) * p[n - 1]);
  return p;
}

/** Monic Gram polynomials: P_{k+1} = t·P_k − b_k·P_{k−1}. */
export function gramCoefficients(degree: number, points: number): RecurrenceCoefficients {
  return recurrenceRows(degree, (k) => [1, 0, k === 0 ? 0 : gramB(k, points)]);
}

export const gram = defineFamily({
  name: 'gram',
  classStem: 'KAGN',
  settings: ['degree', 'gramPoints'],
  // fewer points than d + 1 cannot carry d + 1 orthogonal polynomials
  check: (o, given, context) => checkIntAtLeast(o, given, 'gramPoints', o.degree + 1, context, `an integer > degree (${o.degree})`),
  size: (o) => o.degree + 1,
  expand: ({ degree, gramPoints }) => fusedOr(gramCoefficients(degree, gramPoints), (x) => gramP(tf.tanh(x), degree, gramPoints)),
  evaluate:
    ({ degree, gramPoints }) =>
    (x) =>
      gramValues(Math.tanh(x), degree, gramPoints),
  sampleRange: tanhSampleRange,
  recurrence: ({ degree, gramPoints }) => gramCoefficients(degree, gramPoints),
});
