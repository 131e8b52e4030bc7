// Plain-loop B-spline evaluation on typed arrays, shared by the cpu and wasm kernels.
// Same numbers as efficient-kan's b_splines (Cox–de Boor from the order-0 indicators
// t_j <= x < t_{j+1}), but each x only visits the order+1 bases that can be non-zero on its
// knot interval, instead of all grid+order bases at every level. Non-uniform knots stay exact:
// the interval is found by comparing with the knots themselves; the uniform spacing only gives
// the first guess. Arithmetic is in float64, rounded once to float32 on store.

/** Output layout: per feature f, `stride` values; [SiLU(x)] first when withSilu, then the bases. */
export interface BasisLayout {
  features: number; // F
  knotsPerFeature: number; // K = gridSize + 2·order + 1
  order: number;
  withSilu: boolean;
}

export function basisCount(l: BasisLayout): number {
  return l.knotsPerFeature - 1 - l.order;
}

export function basisStride(l: BasisLayout): number {
  return basisCount(l) + (l.withSilu ? 1 : 0);
}

/** Index i with t[i] <= x < t[i+1] in row `row` of knots, or -1 when x is outside [t_0, t_{K-1}) or NaN. */
function findInterval(x: number, t: Float32Array, row: number, K: number): number {
  const t0 = t[row] as number;
  const tEnd = t[row + K - 1] as number;
  if (!(x >= t0 && x < tEnd)) return -1;
  let i = Math.floor(((x - t0) / (tEnd - t0)) * (K - 1));
  if (i < 0) i = 0;
  if (i > K - 2) i = K - 2;
  while (i > 0 && x < (t[row + i] as number)) i--;
  while (i < K - 2 && x >= (t[row + i + 1] as number)) i++;
  return i;
}

/**
 * Bases of order `k` at x on interval i, for j = i−k … i, into n[0..k] (n[m] = B_{i−k+m, k});
 * a basis whose index is outside efficient-kan's range (j < 0 or j > K−2−k) is 0.
 */
function basesOnInterval(x: number, t: Float32Array, row: number, K: number, i: number, k: number, n: Float64Array, tmp: Float64Array): void {
  n[0] = 1; // B_{i,0}
  for (let level = 1; level <= k; level++) {
    // previous level holds B_{i-level+1 .. i, level-1} in n[0..level-1]
    const jMax = K - 2 - level;
    for (let m = 0; m <= level; m++) {
      const j = i - level + m;
      let v = 0;
      if (j >= 0 && j <= jMax) {
        const lo = m >= 1 ? (n[m - 1] as number) : 0; // B_{j, level-1}
        const hi = m <= level - 1 ? (n[m] as number) : 0; // B_{j+1, level-1}
        const tj = t[row + j] as number;
        const tjk = t[row + j + level] as number;
        const tj1 = t[row + j + 1] as number;
        const tjk1 = t[row + j + level + 1] as number;
        if (lo !== 0) v += ((x - tj) / (tjk - tj)) * lo;
        if (hi !== 0) v += ((tjk1 - x) / (tjk1 - tj1)) * hi;
      }
      tmp[m] = v;
    }
    for (let m = 0; m <= level; m++) n[m] = tmp[m] as number;
  }
}

/** out[e·F·S + f·S + s] for every element e of x ([E, F] row-major), S = basisStride(layout). */
export function bsplineForward(x: Float32Array, knots: Float32Array, l: BasisLayout, out: Float32Array): void {
  const { features: F, knotsPerFeature: K, order: p, withSilu } = l;
  const nb = basisCount(l);
  const S = basisStride(l);
  const off = withSilu ? 1 : 0;
  const n = new Float64Array(p + 1);
  const tmp = new Float64Array(p + 1);
  out.fill(0);
  for (let idx = 0; idx < x.length; idx++) {
    const f = idx % F;
    const v = x[idx] as number;
    const base = idx * S;
    if (withSilu) out[base] = v / (1 + Math.exp(-v));
    const row = f * K;
    const i = findInterval(v, knots, row, K);
    if (i < 0) continue;
    basesOnInterval(v, knots, row, K, i, p, n, tmp);
    const jLo = Math.max(0, i - p);
    const jHi = Math.min(i, nb - 1);
    for (let j = jLo; j <= jHi; j++) out[base + off + j] = n[j - (i - p)] as number;
  }
}

/**
 * dx[e] = Σ_s dy[e·F·S + f·S + s] · d out_s / dx, with dB_{j,p}/dx =
 * p·(B_{j,p−1}/(t_{j+p} − t_j) − B_{j+1,p−1}/(t_{j+p+1} − t_{j+1})), and SiLU' = σ(x)(1 + x(1 − σ(x))).
 * On a knot this is the derivative from the right, as autograd through the recursion gives it.
 */
export function bsplineBackward(dy: Float32Array, x: Float32Array, knots: Float32Array, l: BasisLayout, dx: Float32Array): void {
  const { features: F, knotsPerFeature: K, order: p, withSilu } = l;
  const nb = basisCount(l);
  const S = basisStride(l);
  const off = withSilu ? 1 : 0;
  const n = new Float64Array(p + 1);
  const tmp = new Float64Array(p + 1);
  for (let idx = 0; idx < x.length; idx++) {
    const f = idx % F;
    const v = x[idx] as number;
    const base = idx * S;
    let g = 0;
    if (withSilu) {
      const s = 1 / (1 + Math.exp(-v));
      g += (dy[base] as number) * s * (1 + v * (1 - s));
    }
    const row = f * K;
    const i = p > 0 ? findInterval(v, knots, row, K) : -1;
    if (i >= 0) {
      basesOnInterval(v, knots, row, K, i, p - 1, n, tmp); // n[m] = B_{i-p+1+m, p-1}
      const lowest = i - p + 1;
      const jLo = Math.max(0, i - p);
      const jHi = Math.min(i, nb - 1);
      for (let j = jLo; j <= jHi; j++) {
        const bj = j >= lowest ? (n[j - lowest] as number) : 0;
        const bj1 = j + 1 <= i ? (n[j + 1 - lowest] as number) : 0;
        const tj = knots[row + j] as number;
        const tjp = knots[row + j + p] as number;
        const tj1 = knots[row + j + 1] as number;
        const tjp1 = knots[row + j + p + 1] as number;
        const d = p * ((bj !== 0 ? bj / (tjp - tj) : 0) - (bj1 !== 0 ? bj1 / (tjp1 - tj1) : 0));
        g += (dy[base + off + j] as number) * d;
      }
    }
    dx[idx] = g;
  }
}
