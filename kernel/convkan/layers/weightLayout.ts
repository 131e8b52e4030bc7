// Our weight layout is tfjs' own conv-kernel layout (HWIO), extended by the basis axis:
//   base_weight   [kH, kW, Cin/G, Cout]        spline_weight [kH, kW, Cin/G, K, Cout]
//   spline_scaler [kH, kW, Cin/G, Cout]        grid          [kH, kW, Cin, nKnots]
// so the expanded-feature filter [kH, kW, (Cin/G)·(K+1), Cout] is a concat + reshape, with no
// transpose (a 5-D transpose cost more than the convolution on wasm and cpu). KANLinear is the
// 1×1 case: base [in, out], spline [in, K, out], scaler [in, out], grid [in, nKnots].
// PyTorch's `convkan` / efficient-kan layout is
//   base [G, Og, inDim], spline [G, Og, inDim, K], scaler [G, Og, inDim], grid [G, inDim, nKnots]
// with inDim = (Cin/G)·kH·kW ordered channel, kernel row, kernel column. These functions map
// between the two (host arrays; used for loading, grid refits and inspection).

export interface KanDims {
  groups: number;
  /** output channels per group */
  outPerGroup: number;
  /** input channels per group */
  inPerGroup: number;
  kh: number;
  kw: number;
}

/** Index in our layout [kH, kW, Cg, inner, Cout] of torch's [G, Og, Cg, kH, kW, inner] element. */
function ourIndex(d: KanDims, inner: number, g: number, o: number, c: number, ky: number, kx: number, j: number): number {
  const cout = d.groups * d.outPerGroup;
  return (((ky * d.kw + kx) * d.inPerGroup + c) * inner + j) * cout + g * d.outPerGroup + o;
}

/** Per-edge weights: torch [G, Og, inDim(, inner)] → ours [kH, kW, Cg(, inner), Cout]. */
export function edgeWeightsFromTorch(torch: ArrayLike<number>, d: KanDims, inner = 1): Float32Array {
  const out = new Float32Array(torch.length);
  let t = 0;
  for (let g = 0; g < d.groups; g++)
    for (let o = 0; o < d.outPerGroup; o++)
      for (let c = 0; c < d.inPerGroup; c++)
        for (let ky = 0; ky < d.kh; ky++)
          for (let kx = 0; kx < d.kw; kx++) for (let j = 0; j < inner; j++) out[ourIndex(d, inner, g, o, c, ky, kx, j)] = torch[t++];
  return out;
}

/** Per-edge weights: ours [kH, kW, Cg(, inner), Cout] → torch [G, Og, inDim(, inner)]. */
export function edgeWeightsToTorch(ours: ArrayLike<number>, d: KanDims, inner = 1): Float32Array {
  const out = new Float32Array(ours.length);
  let t = 0;
  for (let g = 0; g < d.groups; g++)
    for (let o = 0; o < d.outPerGroup; o++)
      for (let c = 0; c < d.inPerGroup; c++)
        for (let ky = 0; ky < d.kh; ky++)
          for (let kx = 0; kx < d.kw; kx++) for (let j = 0; j < inner; j++) out[t++] = ours[ourIndex(d, inner, g, o, c, ky, kx, j)];
  return out;
}

/** Knots: torch [G, inDim, nk] = [Cin, kH, kW, nk] → ours [kH, kW, Cin, nk]. */
export function gridFromTorch(torch: ArrayLike<number>, cin: number, kh: number, kw: number, nk: number): Float32Array {
  const out = new Float32Array(torch.length);
  for (let c = 0; c < cin; c++)
    for (let t = 0; t < kh * kw; t++) for (let k = 0; k < nk; k++) out[(t * cin + c) * nk + k] = torch[(c * kh * kw + t) * nk + k];
  return out;
}

/** Knots: ours [kH, kW, Cin, nk] → torch [Cin·kH·kW, nk] (reshape to [G, inDim, nk]). */
export function gridToTorch(ours: ArrayLike<number>, cin: number, kh: number, kw: number, nk: number): Float32Array {
  const out = new Float32Array(ours.length);
  for (let c = 0; c < cin; c++)
    for (let t = 0; t < kh * kw; t++) for (let k = 0; k < nk; k++) out[(c * kh * kw + t) * nk + k] = ours[(t * cin + c) * nk + k];
  return out;
}

/** Shapes of the four weights in our layout. */
export function ourShapes(d: KanDims, nb: number, nk: number): { base: number[]; spline: number[]; scaler: number[]; grid: number[] } {
  const cout = d.groups * d.outPerGroup;
  return {
    base: [d.kh, d.kw, d.inPerGroup, cout],
    spline: [d.kh, d.kw, d.inPerGroup, nb, cout],
    scaler: [d.kh, d.kw, d.inPerGroup, cout],
    grid: [d.kh, d.kw, d.inPerGroup * d.groups, nk],
  };
}
