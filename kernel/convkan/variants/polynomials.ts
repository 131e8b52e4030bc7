// Orthogonal polynomial families on [−1, 1] (and Bernstein on [0, 1]), each as a tensor function
// t: [...] → [..., d + 1] built by its three-term recurrence (stable, differentiable everywhere),
// plus a float64 host version used by the plain-JS reference and the tests.
import * as tf from '@tensorflow/tfjs';

/** Chebyshev T_0 … T_d: T_{n+1} = 2t·T_n − T_{n−1}. */
export function chebyshevT(t: tf.Tensor, degree: number): tf.Tensor {
  return recurrence(t, degree, (n, tn, tnm1) => tf.sub(tf.mul(tf.mul(t, 2), tn), tnm1), t);
}

/** Legendre P_0 … P_d: (n+1)·P_{n+1} = (2n+1)·t·P_n − n·P_{n−1}. */
export function legendreP(t: tf.Tensor, degree: number): tf.Tensor {
  return recurrence(t, degree, (n, pn, pnm1) => tf.div(tf.sub(tf.mul(tf.mul(t, 2 * n + 1), pn), tf.mul(pnm1, n)), n + 1), t);
}

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

/** Jacobi P_0^{(α,β)} … P_d^{(α,β)} by the standard recurrence (Abramowitz & Stegun 22.7.1). */
export function jacobiP(t: tf.Tensor, degree: number, alpha: number, beta: number): tf.Tensor {
  return tf.tidy(() => {
    const p1 = tf.add(tf.mul(t, (alpha + beta + 2) / 2), (alpha - beta) / 2);
    return recurrence(t, degree, (n, pn, pnm1) => {
      const [a, b, c] = jacobiCoefficients(n + 1, alpha, beta);
      return tf.sub(tf.mul(tf.add(tf.mul(t, a), b), pn), tf.mul(pnm1, c));
    }, p1);
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

/** Runs P_{n+1} = next(n, P_n, P_{n−1}) from P_0 = 1, P_1 = p1 and stacks P_0 … P_d on a new last axis. */
function recurrence(t: tf.Tensor, degree: number, next: (n: number, pn: tf.Tensor, pnm1: tf.Tensor) => tf.Tensor, p1: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const ps: tf.Tensor[] = [tf.onesLike(t)];
    if (degree >= 1) ps.push(p1);
    for (let n = 1; n < degree; n++) ps.push(next(n, ps[n], ps[n - 1]));
    return tf.stack(ps, -1); // [..., d + 1]
  });
}

export function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

// ---- float64 host versions, written from the closed forms where one exists ----

/** T_n(t) = cos(n·arccos t) for |t| ≤ 1. */
export function chebyshevValues(t: number, degree: number): number[] {
  const th = Math.acos(Math.max(-1, Math.min(1, t)));
  return Array.from({ length: degree + 1 }, (_, n) => Math.cos(n * th));
}

/** P_n(t) = 2^{−n} Σ_k C(n,k)² (t − 1)^{n−k} (t + 1)^k (explicit sum, not the recurrence). */
export function legendreValues(t: number, degree: number): number[] {
  return Array.from({ length: degree + 1 }, (_, n) => {
    let s = 0;
    for (let k = 0; k <= n; k++) s += binomial(n, k) ** 2 * (t - 1) ** (n - k) * (t + 1) ** k;
    return s / 2 ** n;
  });
}

export function gramValues(t: number, degree: number, points: number): number[] {
  const p = [1];
  if (degree >= 1) p.push(t);
  for (let n = 1; n < degree; n++) p.push(t * p[n] - gramB(n, points) * p[n - 1]);
  return p;
}

/** P_n^{(α,β)}(t) = Σ_s C(n+α, n−s)·C(n+β, s)·((t−1)/2)^s·((t+1)/2)^{n−s} (explicit sum). */
export function jacobiValues(t: number, degree: number, alpha: number, beta: number): number[] {
  return Array.from({ length: degree + 1 }, (_, n) => {
    let sum = 0;
    for (let s = 0; s <= n; s++) sum += gbinom(n + alpha, n - s) * gbinom(n + beta, s) * ((t - 1) / 2) ** s * ((t + 1) / 2) ** (n - s);
    return sum;
  });
}

/** Generalized binomial C(x, k) = x(x−1)…(x−k+1)/k! for real x. */
export function gbinom(x: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (x - i)) / (i + 1);
  return r;
}

export function bernsteinValues(u: number, degree: number): number[] {
  return Array.from({ length: degree + 1 }, (_, k) => binomial(degree, k) * u ** k * (1 - u) ** (degree - k));
}
