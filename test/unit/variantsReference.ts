// A slow, plain-JS (float64) reference of the variant layers: for every output position it walks
// the patch, maps each tap to the input pixel in the layer's padding mode, and sums
// w_b·SiLU(v) + Σ_k w_k·φ_k(v). It shares nothing with the layer code but `basis.evaluate`.
import type { Basis } from '../../kernel/convkan/variants/basis';
import type { ConvGeometry } from '../../kernel/convkan/conv/convGeometry';

export interface HostTensor {
  shape: number[];
  data: Float64Array;
}

/** Index into [0, size) of padded coordinate p (before = padding on the low side); −1 for a zero. */
export function sourceIndex(p: number, size: number, before: number, mode: ConvGeometry['paddingMode']): number {
  let j = p - before;
  if (j >= 0 && j < size) return j;
  switch (mode) {
    case 'zeros':
      return -1;
    case 'reflect':
      if (j < 0) j = -j;
      if (j >= size) j = 2 * (size - 1) - j;
      return j;
    case 'replicate':
      return Math.min(size - 1, Math.max(0, j));
    case 'circular':
      return ((j % size) + size) % size;
  }
}

const silu = (v: number) => v / (1 + Math.exp(-v));

/** x [N, H, W, C], basisKernel [kH, kW, (C/G)·K, Cout], baseKernel [kH, kW, C/G, Cout] | null → [N, H', W', Cout]. */
export function referenceConv2d(
  x: HostTensor,
  basis: Basis,
  g: ConvGeometry,
  groups: number,
  basisKernel: HostTensor,
  baseKernel: HostTensor | null,
): HostTensor {
  const [N, H, W, C] = x.shape;
  const [kH, kW] = g.kernelSize;
  const [sH, sW] = g.strides;
  const [dH, dW] = g.dilation;
  const [[t, b], [l, r]] = g.padding;
  const cout = basisKernel.shape[3];
  const K = basis.size;
  const cg = C / groups;
  const og = cout / groups;
  const Ho = Math.floor((H + t + b - dH * (kH - 1) - 1) / sH) + 1;
  const Wo = Math.floor((W + l + r - dW * (kW - 1) - 1) / sW) + 1;
  const out = new Float64Array(N * Ho * Wo * cout);
  const phiCache = new Map<number, number[]>();
  const phi = (v: number) => {
    let p = phiCache.get(v);
    if (!p) phiCache.set(v, (p = basis.evaluate(v)));
    return p;
  };
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < Ho; oy++) {
      for (let ox = 0; ox < Wo; ox++) {
        for (let o = 0; o < cout; o++) {
          const grp = Math.floor(o / og);
          let sum = 0;
          for (let ky = 0; ky < kH; ky++) {
            const y = sourceIndex(oy * sH + ky * dH, H, t, g.paddingMode);
            for (let kx = 0; kx < kW; kx++) {
              const xx = sourceIndex(ox * sW + kx * dW, W, l, g.paddingMode);
              for (let ci = 0; ci < cg; ci++) {
                const c = grp * cg + ci;
                const v = y < 0 || xx < 0 ? 0 : x.data[((n * H + y) * W + xx) * C + c];
                const ph = phi(v);
                for (let k = 0; k < K; k++) sum += basisKernel.data[((ky * kW + kx) * cg * K + ci * K + k) * cout + o] * ph[k];
                if (baseKernel) sum += baseKernel.data[((ky * kW + kx) * cg + ci) * cout + o] * silu(v);
              }
            }
          }
          out[((n * Ho + oy) * Wo + ox) * cout + o] = sum;
        }
      }
    }
  }
  return { shape: [N, Ho, Wo, cout], data: out };
}

/** KANLinear: x [M, F], basisKernel [F·K, U], baseKernel [F, U] | null → [M, U]. */
export function referenceLinear(x: HostTensor, basis: Basis, basisKernel: HostTensor, baseKernel: HostTensor | null): HostTensor {
  const [M, F] = x.shape;
  const U = basisKernel.shape[1];
  const K = basis.size;
  const out = new Float64Array(M * U);
  for (let m = 0; m < M; m++) {
    for (let f = 0; f < F; f++) {
      const v = x.data[m * F + f];
      const ph = basis.evaluate(v);
      for (let u = 0; u < U; u++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += basisKernel.data[(f * K + k) * U + u] * ph[k];
        if (baseKernel) s += baseKernel.data[f * U + u] * silu(v);
        out[m * U + u] += s;
      }
    }
  }
  return { shape: [M, U], data: out };
}

/** 1×1 convolution (pointwise matmul over channels): x [N, H, W, C], w [1, 1, C, D]. */
export function referencePointwise(x: HostTensor, w: HostTensor): HostTensor {
  const [N, H, W, C] = x.shape;
  const D = w.shape[3];
  const out = new Float64Array(N * H * W * D);
  for (let p = 0; p < N * H * W; p++)
    for (let d = 0; d < D; d++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += x.data[p * C + c] * w.data[c * D + d];
      out[p * D + d] = s;
    }
  return { shape: [N, H, W, D], data: out };
}

/** Central-difference derivative of Σ f(params)·upstream w.r.t. params[i] (float64). */
export function numericGrad(loss: () => number, data: Float64Array, i: number, eps = 1e-6): number {
  const keep = data[i];
  data[i] = keep + eps;
  const up = loss();
  data[i] = keep - eps;
  const down = loss();
  data[i] = keep;
  return (up - down) / (2 * eps);
}

/** Deterministic pseudo-random values in [lo, hi). */
export function randomHost(shape: number[], seed: number, lo = -1, hi = 1): HostTensor {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = Math.fround(lo + ((hi - lo) * s) / 4294967296); // float32-exact, so tfjs sees the same numbers
  }
  return { shape, data };
}
