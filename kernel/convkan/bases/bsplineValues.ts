// Host-side (float64) B-spline bases, the same recursion as efficient-kan's b_splines: used
// where we solve least-squares systems on the host (initial fit, grid refit) and to sample
// learned curves for display. The tensor version for forward passes is ops/bsplineBasis.

/**
 * Writes the gridSize + order bases of x for the knot row knots[offset … offset + nKnots) into
 * out[outOffset …]. Order-0 bases are half-open indicators t_j ≤ x < t_{j+1}, so a point outside
 * the knots has all bases zero.
 */
export function bsplineValues(x: number, knots: ArrayLike<number>, offset: number, nKnots: number, order: number, out: Float64Array, outOffset: number, scratch?: Float64Array): void {
  const b = scratch && scratch.length >= nKnots - 1 ? scratch : new Float64Array(nKnots - 1);
  const t = (j: number) => knots[offset + j];
  for (let j = 0; j < nKnots - 1; j++) b[j] = x >= t(j) && x < t(j + 1) ? 1 : 0;
  for (let k = 1; k <= order; k++) {
    const count = nKnots - 1 - k;
    for (let j = 0; j < count; j++) {
      const left = ((x - t(j)) / (t(j + k) - t(j))) * b[j];
      const right = ((t(j + k + 1) - x) / (t(j + k + 1) - t(j + 1))) * b[j + 1];
      b[j] = left + right;
    }
  }
  const nb = nKnots - 1 - order;
  for (let j = 0; j < nb; j++) out[outOffset + j] = b[j];
}

/** Bases of every sample: xs (m values) → [m, nKnots − 1 − order] row-major. */
export function bsplineMatrix(xs: ArrayLike<number>, knots: ArrayLike<number>, offset: number, nKnots: number, order: number): Float64Array {
  const nb = nKnots - 1 - order;
  const out = new Float64Array(xs.length * nb);
  const scratch = new Float64Array(nKnots - 1);
  for (let i = 0; i < xs.length; i++) bsplineValues(xs[i], knots, offset, nKnots, order, out, i * nb, scratch);
  return out;
}
