// Three-term recurrence polynomials of tanh(x) in one pass per value (the JavaScript reference of
// the wasm kernels, and the cpu backend's kernel): P_0 = 1, P_1 = a_0·t + b_0,
// P_{k+1} = (a_k·t + b_k)·P_k − c_k·P_{k−1}, t = tanh x. Arithmetic in float64, rounded once on store.
// Replaces a chain of ~4·d broadcast tfjs ops (each with its own output and gradient).

/** Row k = (a_k, b_k, c_k), k = 0 … d − 1 (c_0 unused): P_{k+1} from P_k and P_{k−1}. */
export type RecurrenceCoefficients = Float32Array;

/** The coefficient table of a family (bases/<family>.ts gives each row). */
export function recurrenceRows(degree: number, row: (k: number) => readonly number[]): RecurrenceCoefficients {
  const c = new Float32Array(3 * degree);
  for (let k = 0; k < degree; k++) c.set(row(k), 3 * k);
  return c;
}

/** x [n] → out [n, d + 1], d = coeffs.length / 3. */
export function polynomialForward(x: Float32Array, coeffs: Float32Array, out: Float32Array): void {
  const d = coeffs.length / 3;
  for (let i = 0; i < x.length; i++) {
    const t = Math.tanh(x[i] as number);
    const o = i * (d + 1);
    out[o] = 1;
    let p = 1;
    let pPrev = 0;
    for (let k = 0; k < d; k++) {
      const next = ((coeffs[3 * k] as number) * t + (coeffs[3 * k + 1] as number)) * p - (coeffs[3 * k + 2] as number) * pPrev;
      out[o + k + 1] = next;
      pPrev = p;
      p = next;
    }
  }
}

/** dx[i] = (1 − t²)·Σ_k dy[i, k]·P_k'(t); P_{k+1}' = a_k·P_k + (a_k t + b_k)·P_k' − c_k·P_{k−1}'. */
export function polynomialBackward(dy: Float32Array, x: Float32Array, coeffs: Float32Array, dx: Float32Array): void {
  const d = coeffs.length / 3;
  for (let i = 0; i < x.length; i++) {
    const t = Math.tanh(x[i] as number);
    const o = i * (d + 1);
    let p = 1,
      pPrev = 0,
      dp = 0,
      dpPrev = 0,
      g = 0;
    for (let k = 0; k < d; k++) {
      const a = coeffs[3 * k] as number;
      const lin = a * t + (coeffs[3 * k + 1] as number);
      const c = coeffs[3 * k + 2] as number;
      const next = lin * p - c * pPrev;
      const dNext = a * p + lin * dp - c * dpPrev;
      g += (dy[o + k + 1] as number) * dNext;
      pPrev = p;
      p = next;
      dpPrev = dp;
      dp = dNext;
    }
    dx[i] = g * (1 - t * t);
  }
}
