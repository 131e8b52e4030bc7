// Jacobi polynomials P^{(α,β)} of tanh(x) (torch-conv-kan's KAJN).
import * as tf from '@tensorflow/tfjs';
import { defineFamily, tanhSampleRange } from './basisFamily';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import { fusedOr, gbinom, recurrence } from './recurrence';
import { recurrenceRows, type RecurrenceCoefficients } from '../ops/polynomialMath';

/** Jacobi P_0^{(α,β)} … P_d^{(α,β)} by the standard recurrence (Abramowitz & Stegun 22.7.1). */
export function jacobiP(t: tf.Tensor, degree: number, alpha: number, beta: number): tf.Tensor {
  return tf.tidy(() => {
    const p1 = tf.add(tf.mul(t, (alpha + beta + 2) / 2), (alpha - beta) / 2);
    return recurrence(
      t,
      degree,
      (n, pn, pnm1) => {
        const [a, b, c] = jacobiCoefficients(n + 1, alpha, beta);
        return tf.sub(tf.mul(tf.add(tf.mul(t, a), b), pn), tf.mul(pnm1, c));
      },
      p1,
    );
  });
}

/** P_k = (a·t + b)·P_{k−1} − c·P_{k−2} for k ≥ 2. */
export function jacobiCoefficients(k: number, alpha: number, beta: number): [number, number, number] {
  const s = 2 * k + alpha + beta;
  const den = 2 * k * (k + alpha + beta) * (s - 2);
  const a = ((s - 1) * s * (s - 2)) / den;
  const b = ((s - 1) * (alpha * alpha - beta * beta)) / den;
  const c = (2 * (k + alpha - 1) * (k + beta - 1) * s) / den;
  return [a, b, c];
}

/** P_n^{(α,β)}(t) = Σ_s C(n+α, n−s)·C(n+β, s)·((t−1)/2)^s·((t+1)/2)^{n−s} (explicit sum). */
export function jacobiValues(t: number, degree: number, alpha: number, beta: number): number[] {
  return Array.from({ length: degree + 1 }, (_, n) => {
    let sum = 0;
    for (let s = 0; s <= n; s++) sum += gbinom(n + alpha, n - s) * gbinom(n + beta, s) * ((t - 1) / 2) ** s * ((t + 1) / 2) ** (n - s);
    return sum;
  });
}

/** Jacobi: P_1 = ((α+β+2)·t + α − β)/2, then jacobiCoefficients(k + 1). */
export function jacobiRecurrence(degree: number, alpha: number, beta: number): RecurrenceCoefficients {
  return recurrenceRows(degree, (k) =>
    k === 0 ? [(alpha + beta + 2) / 2, (alpha - beta) / 2, 0] : jacobiCoefficients(k + 1, alpha, beta),
  );
}

export const jacobi = defineFamily({
  name: 'jacobi',
  classStem: 'KAJN',
  settings: ['degree', 'alpha', 'beta'],
  check: (o, given, context) => {
    if (!(o.alpha > -1) || !(o.beta > -1)) {
      throw new ConvKanArgumentError(
        context,
        'alpha and beta',
        'greater than −1 (Jacobi weights must be integrable)',
        show([given.alpha, given.beta]),
      );
    }
  },
  size: (o) => o.degree + 1,
  expand: ({ degree, alpha, beta }) => fusedOr(jacobiRecurrence(degree, alpha, beta), (x) => jacobiP(tf.tanh(x), degree, alpha, beta)),
  evaluate:
    ({ degree, alpha, beta }) =>
    (x) =>
      jacobiValues(Math.tanh(x), degree, alpha, beta),
  sampleRange: tanhSampleRange,
  recurrence: ({ degree, alpha, beta }) => jacobiRecurrence(degree, alpha, beta),
});
