// Host-side (float64) B-spline bases, the same recursion as efficient-kan's b_splines: used
// where we solve least-squares systems on the host (initial fit, grid refit) and to sample
// learned curves for display. The tensor version for forward passes is ops/bsplineBasis.

/**
 * Writes the gridSize + order bases of x for the knot row knots[offset … offset + nKnots) into
 * out[outOffset …]. Order-0 bases are half-open indicators t_j ≤ x < t_{j+1}, so a point outside
 * the knots has all bases zero.
 */
export function bsplineValues(
  x: number,
  knots: ArrayLike<number>,
  offset: number,
  nKnots: number,
  order: number,
  out: Float64Array,
  outOffset: number,
  scratch?: Float64Array,
): void {
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

/**
 * The same values as bsplineValues, computed only where they can be non-zero: locate the knot
 * span t_s ≤ x < t_{s+1} by bisection, then run the recursion on the order + 1 bases of that span
 * (O(order²) instead of O(knots·order)). Terms that the full recursion multiplies by an exact zero
 * are skipped, so the results are identical. Writes all gridSize + order values of row `outOffset`.
 */
export function bsplineValuesLocal(
  x: number,
  knots: ArrayLike<number>,
  offset: number,
  nKnots: number,
  order: number,
  out: Float64Array,
  outOffset: number,
  local: Float64Array,
): void {
  const nb = nKnots - 1 - order;
  // NaN and ±Infinity give NaN in the full recursion (∞·0), as in efficient-kan; keep that.
  const fill = Number.isFinite(x) || order === 0 ? 0 : NaN;
  for (let j = 0; j < nb; j++) out[outOffset + j] = fill;
  if (!(x >= knots[offset] && x < knots[offset + nKnots - 1])) return; // outside every span
  let lo = 0;
  let hi = nKnots - 1; // invariant: t_lo ≤ x < t_hi
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x >= knots[offset + mid]) lo = mid;
    else hi = mid;
  }
  const s = lo;
  // local[r] holds N_{s−k+r, k} for r = 0 … k; bases outside 0 … nKnots−2−k do not exist at level k.
  local[0] = 1;
  for (let k = 1; k <= order; k++) {
    const top = nKnots - 2 - k;
    for (let r = k; r >= 0; r--) {
      const i = s - k + r;
      if (i < 0 || i > top) {
        local[r] = 0;
        continue;
      }
      const ti = knots[offset + i];
      const left = r >= 1 ? ((x - ti) / (knots[offset + i + k] - ti)) * local[r - 1] : 0; // N_{i,k−1} = local[r−1]
      // N_{i+1,k−1} = local[r]
      const right = r <= k - 1 ? ((knots[offset + i + k + 1] - x) / (knots[offset + i + k + 1] - knots[offset + i + 1])) * local[r] : 0;
      local[r] = left + right;
    }
  }
  for (let r = 0; r <= order; r++) {
    const i = s - order + r;
    if (i >= 0 && i < nb) out[outOffset + i] = local[r];
  }
}

/** Bases of every sample: xs (m values) → [m, nKnots − 1 − order] row-major. */
export function bsplineMatrix(
  xs: ArrayLike<number>,
  knots: ArrayLike<number>,
  offset: number,
  nKnots: number,
  order: number,
): Float64Array {
  const nb = nKnots - 1 - order;
  const out = new Float64Array(xs.length * nb);
  const local = new Float64Array(order + 1);
  for (let i = 0; i < xs.length; i++) bsplineValuesLocal(xs[i], knots, offset, nKnots, order, out, i * nb, local);
  return out;
}
