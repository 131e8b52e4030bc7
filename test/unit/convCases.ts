// Shared by the convolution tests: a seeded pseudo-random fill, the 'valid' output size of a padded
// convolution, and a filter-gradient case with its float64 reference sum (the definition, term by term).
export type Quad = [number, number, number, number];
export type Pair = [number, number];

/** A conv2d filter-gradient case: x [N, H, W, Cin], filter [kH, kW, Cin, Cout], strides, dilations, zero padding. */
export interface FilterGradCase {
  name: string;
  x: Quad;
  f: Quad;
  s: Pair;
  d: Pair;
  p: [Pair, Pair];
}

/** n values in [−0.5, 0.5) from a linear congruential generator (the same numbers on every run). */
export function randomArray(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

export function outSize(size: number, pad: Pair, k: number, d: number, s: number): number {
  return Math.floor((size + pad[0] + pad[1] - ((k - 1) * d + 1)) / s) + 1;
}

/** dy's shape [N, OH, OW, Cout] for a case. */
export function dyShapeOf(c: FilterGradCase): Quad {
  return [c.x[0], outSize(c.x[1], c.p[0], c.f[0], c.d[0], c.s[0]), outSize(c.x[2], c.p[1], c.f[1], c.d[1], c.s[1]), c.f[3]];
}

/** dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·sH + kh·dH − top, ow·sW + kw·dW − left, ci]·dy[n, oh, ow, co], in float64. */
export function float64FilterGrad(c: FilterGradCase, x: Float32Array, dy: Float32Array, dyShape: Quad): Float64Array {
  const [N, H, W, Cin] = c.x;
  const [kH, kW, , Cout] = c.f;
  const [, OH, OW] = dyShape;
  const out = new Float64Array(kH * kW * Cin * Cout);
  for (let kh = 0; kh < kH; kh++)
    for (let kw = 0; kw < kW; kw++)
      for (let n = 0; n < N; n++)
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * c.s[0] + kh * c.d[0] - c.p[0][0];
          if (ih < 0 || ih >= H) continue;
          for (let ow = 0; ow < OW; ow++) {
            const iw = ow * c.s[1] + kw * c.d[1] - c.p[1][0];
            if (iw < 0 || iw >= W) continue;
            for (let ci = 0; ci < Cin; ci++) {
              const xv = x[((n * H + ih) * W + iw) * Cin + ci] as number;
              const o = ((kh * kW + kw) * Cin + ci) * Cout;
              const g = ((n * OH + oh) * OW + ow) * Cout;
              for (let co = 0; co < Cout; co++) out[o + co] += xv * (dy[g + co] as number);
            }
          }
        }
  return out;
}
