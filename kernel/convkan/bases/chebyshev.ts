// Chebyshev polynomials of tanh(x) (torch-conv-kan's KACN).
import * as tf from '@tensorflow/tfjs';
import { defineFamily, tanhSampleRange } from './basisFamily';
import { fusedOr, recurrence } from './recurrence';
import { recurrenceRows, type RecurrenceCoefficients } from '../ops/polynomialMath';

/** Chebyshev T_0 … T_d: T_{n+1} = 2t·T_n − T_{n−1}. */
export function chebyshevT(t: tf.Tensor, degree: number): tf.Tensor {
  return recurrence(t, degree, (n, tn, tnm1) => tf.sub(tf.mul(tf.mul(t, 2), tn), tnm1), t);
}

/** T_n(t) = cos(n·arccos t) for |t| ≤ 1 (closed form, not the recurrence). */
export function chebyshevValues(t: number, degree: number): number[] {
  const th = Math.acos(Math.max(-1, Math.min(1, t)));
  return Array.from({ length: degree + 1 }, (_, n) => Math.cos(n * th));
}

export function chebyshevCoefficients(degree: number): RecurrenceCoefficients {
  return recurrenceRows(degree, (k) => (k === 0 ? [1, 0, 0] : [2, 0, 1]));
}

export const chebyshev = defineFamily({
  name: 'chebyshev',
  classStem: 'KACN',
  settings: ['degree'],
  size: (o) => o.degree + 1,
  expand: ({ degree }) => fusedOr(chebyshevCoefficients(degree), (x) => chebyshevT(tf.tanh(x), degree)),
  evaluate:
    ({ degree }) =>
    (x) =>
      chebyshevValues(Math.tanh(x), degree),
  sampleRange: tanhSampleRange,
  recurrence: ({ degree }) => chebyshevCoefficients(degree),
});
