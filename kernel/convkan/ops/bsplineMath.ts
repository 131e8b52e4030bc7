// Plain-loop B-spline evaluation on typed arrays, shared by the cpu and wasm kernels.
// Same numbers as efficient-kan's b_splines (Cox–de Boor from the order-0 indicators
// t_j <= x < t_{j+1}), but each x only visits the order+1 bases that can be non-zero on its
// knot interval, instead of all grid+order bases at every level. Non-uniform knots stay exact:
// the interval is found by comparing with the knots themselves (the even spacing only gives the
// first guess), and the recursion uses each feature's own knot differences, whose reciprocals
// are computed once per call. Arithmetic is in float64, rounded once to float32 on store.

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

/**
 * inv[(f·(p+1) + k)·K + j] = 1 / (t_{j+k} − t_j) of feature f, for k = 1..p and j + k < K
 * (0 where the knots coincide: such a term is 0·B in efficient-kan's grids, which are strictly increasing).
 */
function reciprocalSpans(knots: Float32Array, F: number, K: number, p: number): Float64Array {
  const inv = new Float64Array(F * (p + 1) * K);
  for (let f = 0; f < F; f++) {
    const row = f * K;
    for (let k = 1; k <= p; k++) {
      const o = (f * (p + 1) + k) * K;
      for (let j = 0; j + k < K; j++) {
        const d = (knots[row + j + k] as number) - (knots[row + j] as number);
        inv[o + j] = d !== 0 ? 1 / d : 0;
      }
    }
  }
  return inv;
}

/** Index i with t[i] <= x < t[i+1] in one feature's knots, or -1 when x is outside [t_0, t_{K-1}) or NaN. */
function findInterval(x: number, t: Float32Array, row: number, K: number, t0: number, tEnd: number, scale: number): number {
  if (!(x >= t0 && x < tEnd)) return -1;
  let i = Math.floor((x - t0) * scale);
  if (i < 0) i = 0;
  else if (i > K - 2) i = K - 2;
  while (i > 0 && x < (t[row + i] as number)) i--;
  while (i < K - 2 && x >= (t[row + i + 1] as number)) i++;
  return i;
}

/**
 * Bases of order k on interval i: n[m] = B_{i−k+m, k}(x), m = 0..k. A basis whose index is
 * outside efficient-kan's range (j < 0 or j > K−2−k) is 0. inv holds this feature's reciprocals.
 */
function basesOnInterval(
  x: number,
  t: Float32Array,
  row: number,
  K: number,
  i: number,
  k: number,
  inv: Float64Array,
  invRow: number,
  n: Float64Array,
): void {
  n[0] = 1; // B_{i,0}
  for (let level = 1; level <= k; level++) {
    // n[0..level-1] = B_{i-level+1 .. i, level-1}; update in place from the top down
    const o = invRow + level * K;
    const jMax = K - 2 - level;
    let hiPrev = 0; // B_{j+1, level-1} for the j being computed
    for (let m = level; m >= 0; m--) {
      const j = i - level + m;
      const lo = m >= 1 ? (n[m - 1] as number) : 0; // B_{j, level-1}
      let v = 0;
      if (j >= 0 && j <= jMax) {
        v =
          (x - (t[row + j] as number)) * (inv[o + j] as number) * lo +
          ((t[row + j + level + 1] as number) - x) * (inv[o + j + 1] as number) * hiPrev;
      }
      hiPrev = lo;
      n[m] = v;
    }
  }
}

/** out[e·F·S + f·S + s] for every row e of x ([E, F] row-major), S = basisStride(layout). */
export function bsplineForward(x: Float32Array, knots: Float32Array, l: BasisLayout, out: Float32Array): void {
  const { features: F, knotsPerFeature: K, order: p, withSilu } = l;
  const nb = basisCount(l);
  const S = basisStride(l);
  const off = withSilu ? 1 : 0;
  const inv = reciprocalSpans(knots, F, K, p);
  const { t0, tEnd, scale, uniform } = featureRanges(knots, F, K);
  const n = new Float64Array(p + 1);
  out.fill(0);
  // row-major walk (x and out are read/written sequentially)
  for (let idx = 0, f = 0; idx < x.length; idx++, f = f + 1 === F ? 0 : f + 1) {
    const v = x[idx] as number;
    const base = idx * S;
    if (withSilu) out[base] = v / (1 + Math.exp(-v));
    if (p > 0 && !Number.isFinite(v)) {
      // as in efficient-kan: (±∞ − t)·0 and NaN·0 make every basis of order ≥ 1 NaN
      out.fill(NaN, base + off, base + off + nb);
      continue;
    }
    const row = f * K;
    const i = findInterval(v, knots, row, K, t0[f] as number, tEnd[f] as number, scale[f] as number);
    if (i < 0) continue;
    if (p === 3 && uniform[f] === 1) {
      // cardinal cubic B-spline pieces in u = (x − t_i)/(t_{i+1} − t_i): B_{i−3..i}
      const u = (v - (knots[row + i] as number)) / ((knots[row + i + 1] as number) - (knots[row + i] as number));
      const u2 = u * u;
      const u3 = u2 * u;
      const w = 1 - u;
      const o = base + off + i - 3;
      if (i >= 3) out[o] = (w * w * w) / 6;
      if (i >= 2 && i - 2 < nb) out[o + 1] = (3 * u3 - 6 * u2 + 4) / 6;
      if (i >= 1 && i - 1 < nb) out[o + 2] = (-3 * u3 + 3 * u2 + 3 * u + 1) / 6;
      if (i < nb) out[o + 3] = u3 / 6;
      continue;
    }
    basesOnInterval(v, knots, row, K, i, p, inv, f * (p + 1) * K, n);
    const jLo = i - p > 0 ? i - p : 0;
    const jHi = i < nb - 1 ? i : nb - 1;
    for (let j = jLo; j <= jHi; j++) out[base + off + j] = n[j - i + p] as number;
  }
}

/** For each knot row: evenly spaced (closed-form cubic pieces are used) or not (the recursion is). */
export function evenlySpacedRows(knots: Float32Array, features: number, knotsPerFeature: number): boolean[] {
  return Array.from(featureRanges(knots, features, knotsPerFeature).uniform, (u) => u === 1);
}

interface FeatureRanges {
  t0: Float64Array;
  tEnd: Float64Array;
  /** (K−1)/(last − first): first guess of the interval index */
  scale: Float64Array;
  /** 1 when the feature's knots are evenly spaced up to float32 rounding of the knots themselves */
  uniform: Uint8Array;
}

/**
 * Evenly spaced means every spacing is within 8 float32 ulps of the largest knot magnitude of
 * the mean spacing: the knots are then a float32 rounding of a uniform grid (efficient-kan's
 * initial grid), and the cardinal-spline closed form is as exact as the recursion on them.
 */
function featureRanges(knots: Float32Array, F: number, K: number): FeatureRanges {
  const r: FeatureRanges = { t0: new Float64Array(F), tEnd: new Float64Array(F), scale: new Float64Array(F), uniform: new Uint8Array(F) };
  for (let f = 0; f < F; f++) {
    const a = knots[f * K] as number;
    const b = knots[f * K + K - 1] as number;
    r.t0[f] = a;
    r.tEnd[f] = b;
    r.scale[f] = (K - 1) / (b - a);
    const h = (b - a) / (K - 1);
    const tol = 8 * 2 ** -23 * Math.max(Math.abs(a), Math.abs(b));
    let even = h > 0;
    for (let j = 0; j + 1 < K && even; j++) even = Math.abs((knots[f * K + j + 1] as number) - (knots[f * K + j] as number) - h) <= tol;
    r.uniform[f] = even ? 1 : 0;
  }
  return r;
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
  const inv = reciprocalSpans(knots, F, K, p);
  const { t0, tEnd, scale, uniform } = featureRanges(knots, F, K);
  const n = new Float64Array(p + 1);
  for (let idx = 0, f = 0; idx < x.length; idx++, f = f + 1 === F ? 0 : f + 1) {
    const v = x[idx] as number;
    const base = idx * S;
    let g = 0;
    if (withSilu) {
      const s = 1 / (1 + Math.exp(-v));
      g = (dy[base] as number) * s * (1 + v * (1 - s));
    }
    if (p > 0 && !Number.isFinite(v)) {
      dx[idx] = NaN;
      continue;
    }
    const row = f * K;
    const i = p > 0 ? findInterval(v, knots, row, K, t0[f] as number, tEnd[f] as number, scale[f] as number) : -1;
    if (i >= 0 && p === 3 && uniform[f] === 1) {
      // derivatives of the cardinal cubic pieces, d/dx = (1/h)·d/du
      const h = (knots[row + i + 1] as number) - (knots[row + i] as number);
      const u = (v - (knots[row + i] as number)) / h;
      const u2 = u * u;
      const w = 1 - u;
      const o = base + off + i - 3;
      let d = 0;
      if (i >= 3) d -= (dy[o] as number) * (w * w);
      if (i >= 2 && i - 2 < nb) d += (dy[o + 1] as number) * (3 * u2 - 4 * u);
      if (i >= 1 && i - 1 < nb) d += (dy[o + 2] as number) * (-3 * u2 + 2 * u + 1);
      if (i < nb) d += (dy[o + 3] as number) * u2;
      g += d / (2 * h);
    } else if (i >= 0) {
      const invRow = f * (p + 1) * K;
      const oP = invRow + p * K;
      basesOnInterval(v, knots, row, K, i, p - 1, inv, invRow, n); // n[m] = B_{i-p+1+m, p-1}
      const lowest = i - p + 1;
      const jLo = i - p > 0 ? i - p : 0;
      const jHi = i < nb - 1 ? i : nb - 1;
      for (let j = jLo; j <= jHi; j++) {
        const bj = j >= lowest ? (n[j - lowest] as number) : 0;
        const bj1 = j + 1 <= i ? (n[j + 1 - lowest] as number) : 0;
        g += (dy[base + off + j] as number) * p * (bj * (inv[oP + j] as number) - bj1 * (inv[oP + j + 1] as number));
      }
    }
    dx[idx] = g;
  }
}
