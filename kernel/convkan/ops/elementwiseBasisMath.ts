// The elementwise bases of rbf (FastKAN), the wavelets, reluKan (ReLU-KAN) and bernstein (KABN) in one pass per
// value: the JavaScript reference of the wasm kernels (ops/wasm/basisKernels.wat) and the cpu
// backend's kernel. x [n] → out [n, K]; backward dy [n, K], x → dx [n]. bernstein in float64,
// rounded once on store; reluKan in float32, the composite's own operations in its order; rbf and
// the wavelets with the composite's float32 t = (x − c)/h and t² (the wasm kernels: all float32).

const f = Math.fround;

/** rbf params: c_0 … c_{K−1}, h (float32, as the composite's tensors). */
export function rbfParams(c: readonly number[], h: number): Float32Array {
  return Float32Array.from([...c, h]);
}

/** e^a for a ≤ 0 rounded to float32, exactly 0 below −87.33 (where float32 underflows; as the wasm kernels). */
function expNeg(a: number): number {
  return a < -87.33 ? 0 : f(Math.exp(a));
}

/** t = (x − c)/h in float32, as the composite's floats. */
const offset = (x: number, c: number, h: number) => f(f(x - c) / h);

/** out[i, j] = exp(−t²), t = (x_i − c_j)/h, t and t² in float32 (as the composite). */
export function rbfForward(x: Float32Array, params: Float32Array, out: Float32Array): void {
  const K = params.length - 1;
  const h = params[K] as number;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    for (let j = 0; j < K; j++) {
      const t = offset(v, params[j] as number, h);
      out[i * K + j] = expNeg(-f(t * t));
    }
  }
}

/** dx_i = −(2/h)·Σ_j dy[i, j]·exp(−t_j²)·t_j. */
export function rbfBackward(dy: Float32Array, x: Float32Array, params: Float32Array, dx: Float32Array): void {
  const K = params.length - 1;
  const h = params[K] as number;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    let g = 0;
    for (let j = 0; j < K; j++) {
      const t = offset(v, params[j] as number, h);
      g += (dy[i * K + j] as number) * expNeg(-f(t * t)) * t;
    }
    dx[i] = (-2 * g) / h;
  }
}

/** reluKan params: s_0 … s_{K−1}, e_0 … e_{K−1}, norm. */
export function reluKanParams(s: readonly number[], e: readonly number[], norm: number): Float32Array {
  return Float32Array.from([...s, ...e, norm]);
}

/** ReLU as tfjs' (NaN stays NaN). */
const relu = (v: number) => (v < 0 ? 0 : v);

/** out[i, j] = (ReLU(e_j − x_i)·ReLU(x_i − s_j))²·norm, every operation rounded to float32. */
export function reluKanForward(x: Float32Array, params: Float32Array, out: Float32Array): void {
  const K = (params.length - 1) / 2;
  const norm = params[2 * K] as number;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    for (let j = 0; j < K; j++) {
      const r = f(relu(f((params[K + j] as number) - v)) * relu(f(v - (params[j] as number))));
      out[i * K + j] = f(f(r * r) * norm);
    }
  }
}

/** dx_i = Σ_j g·a·[x − s > 0] − g·b·[e − x > 0], g = dy·norm·2r (float32 terms, float64 sum). */
export function reluKanBackward(dy: Float32Array, x: Float32Array, params: Float32Array, dx: Float32Array): void {
  const K = (params.length - 1) / 2;
  const norm = params[2 * K] as number;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    let sum = 0;
    for (let j = 0; j < K; j++) {
      const da = f((params[K + j] as number) - v);
      const db = f(v - (params[j] as number));
      const a = relu(da);
      const b = relu(db);
      const g = f(f((dy[i * K + j] as number) * norm) * f(f(a * b) * 2));
      sum += f(f(f(g * a) * (db > 0 ? 1 : 0)) - f(f(g * b) * (da > 0 ? 1 : 0)));
    }
    dx[i] = sum;
  }
}

/**
 * b_k = C(m, k)·u^k·v^{m−k}, k = 0 … m, from the end with the larger base (u^m or v^m ≥ 2^−m) by the
 * ratio of neighbours; each value to emit(k, b_k). NaN goes up from v^m and stays NaN.
 */
function bernsteinRow(u: number, v: number, m: number, emit: (k: number, b: number) => void): void {
  const down = u >= v;
  let b = (down ? u : v) ** m;
  if (down) {
    const r = v / u;
    emit(m, b);
    for (let k = m; k > 0; k--) {
      b = (b * r * k) / (m - k + 1);
      emit(k - 1, b);
    }
  } else {
    const r = u / v;
    emit(0, b);
    for (let k = 0; k < m; k++) {
      b = (b * r * (m - k)) / (k + 1);
      emit(k + 1, b);
    }
  }
}

/** out[i, k] = b_{k,d}((1 + tanh x_i)/2), rows of d + 1. */
export function bernsteinForward(x: Float32Array, degree: number, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const t = Math.tanh(x[i] as number);
    const o = i * (degree + 1);
    bernsteinRow((1 + t) * 0.5, (1 - t) * 0.5, degree, (k, b) => (out[o + k] = b));
  }
}

/** dx_i = d·Σ_k b_{k,d−1}(u)·(dy[i, k + 1] − dy[i, k])·(1 − t²)/2. */
export function bernsteinBackward(dy: Float32Array, x: Float32Array, degree: number, dx: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const t = Math.tanh(x[i] as number);
    const o = i * (degree + 1);
    let g = 0;
    if (degree > 0)
      bernsteinRow((1 + t) * 0.5, (1 - t) * 0.5, degree - 1, (k, b) => (g += b * ((dy[o + k + 1] as number) - (dy[o + k] as number))));
    dx[i] = g * degree * (1 - t * t) * 0.5;
  }
}

/** The wavelet kernels' kinds, in the wasm kernels' numbering. */
export const WAVELET_KINDS = { mexicanHat: 0, morlet: 1, dog: 2 } as const;
const MEXICAN_HAT_SCALE = 2 / (Math.sqrt(3) * Math.PI ** 0.25);
const OMEGA = 5;

/** ψ(t) (deriv false) or ψ'(t) of a wavelet kind; t² and e^{−t²/2} as float32 (as the composite and the wasm kernel). */
function wavelet(t: number, kind: number, deriv: boolean): number {
  const t2 = f(t * t);
  const g = expNeg(-0.5 * t2);
  if (kind === 0) return MEXICAN_HAT_SCALE * g * (deriv ? t * (t2 - 3) : 1 - t2);
  const w = f(OMEGA * t);
  if (kind === 1) return deriv ? -g * (OMEGA * Math.sin(w) + t * Math.cos(w)) : Math.cos(w) * g;
  return g * (deriv ? t2 - 1 : -t);
}

/** out[i, j] = ψ((x_i − c_j)/h); params as rbf's: c_0 … c_{K−1}, h. */
export function waveletForward(x: Float32Array, kind: number, params: Float32Array, out: Float32Array): void {
  const K = params.length - 1;
  const h = params[K] as number;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    for (let j = 0; j < K; j++) out[i * K + j] = wavelet(offset(v, params[j] as number, h), kind, false);
  }
}

/** dx_i = Σ_j dy[i, j]·ψ'(t_j)/h. */
export function waveletBackward(dy: Float32Array, x: Float32Array, kind: number, params: Float32Array, dx: Float32Array): void {
  const K = params.length - 1;
  const h = params[K] as number;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    let g = 0;
    for (let j = 0; j < K; j++) g += (dy[i * K + j] as number) * wavelet(offset(v, params[j] as number, h), kind, true);
    dx[i] = g / h;
  }
}
