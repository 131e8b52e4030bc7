// Samples the learned edge functions φ(x) = base·silu(x) + scaler·Σ_j c_j·B_j(x) of a KAN layer
// as plain numbers for plots (the display layer turns them into the splines MIME payload).
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import { bsplineValues } from '../bases/bsplineValues';
import type { ConvKAN2D } from '../layers/convKan2d';
import type { KANLinear } from '../layers/kanLinear';
import { siluValue } from '../layers/kanMath';
import { edgeLayoutOf, withInputStatistics } from './inputStatistics';

export interface EdgeFunctionLayerInfo {
  name: string;
  className: string;
  basis: 'bspline';
  inChannels: number;
  outChannels: number;
  kernelSize: [number, number];
  groups: number;
  /** The interior knot range of the sampled inputs now (after updateGrid, where the data put it). */
  gridRange: [number, number];
  gridSize: number;
  splineOrder: number;
}

export interface EdgeFunction {
  out: number;
  in: number;
  ky: number;
  kx: number;
  /** base_weight·silu(x) at every sample point */
  base: number[];
  /** spline_scaler·Σ_j spline_weight_j·B_j(x) at every sample point */
  spline: number[];
  /** mean |base + spline| over the sample points; with opts.x, pykan's score from the data (see importanceFrom) */
  importance: number;
}

export interface EdgeFunctionSamples {
  layer: EdgeFunctionLayerInfo;
  outChannels: number[];
  inChannels: number[];
  x: number[];
  /** The knots, when every sampled edge uses the same ones (always before updateGrid). */
  knots?: number[];
  /** Knots per input feature otherwise (after updateGrid). */
  knotsPerInput?: Array<{ in: number; ky: number; kx: number; knots: number[] }>;
  functions: EdgeFunction[];
  /** Histogram of opts.x per sampled input channel. */
  inputHistograms?: Array<{ in: number; edges: number[]; counts: number[] }>;
  /**
   * 'grid': importance is mean |φ| over the sample points; 'inputs' (when opts.x is given):
   * pykan's std(φ(x)) / (std(x) + 0.1) over the inputs each edge saw. Absent means 'grid'.
   */
  importanceFrom?: 'grid' | 'inputs';
}

export interface SampleEdgeFunctionsOptions {
  /** Output channels to sample (default: the first ≤ 4). */
  outChannels?: number[];
  /** Input channels to sample (default: the first ≤ 4). */
  inChannels?: number[];
  /** Sample points (default 64) over the knots' interior range widened by 10 % on each side. */
  points?: number;
  /** Sample over this [lo, hi] instead. */
  range?: [number, number];
  /**
   * Input data (NHWC, NCHW for a channels-first layer, [..., F] for KANLinear): histograms of what
   * each input channel sees, and importance weighted by it.
   */
  x?: tf.Tensor;
}

export function sampleEdgeFunctions(layer: ConvKAN2D | KANLinear, opts: SampleEdgeFunctionsOptions = {}): EdgeFunctionSamples {
  const context = layer.context();
  if (!layer.built)
    throw new ConvKanArgumentError(context, 'layer', 'built (call it once or build it) before sampling its functions', 'an unbuilt layer');
  // KANLinear is a 1×1, one-group ConvKAN2D here (its dims say so)
  const { groups, inPerGroup, outPerGroup, kh, kw } = layer.dims;
  const inTotal = inPerGroup * groups;
  const outTotal = outPerGroup * groups;
  const { gridSize, splineOrder: order } = layer.basis;
  const outs = channelList(opts.outChannels, outTotal, context, 'outChannels');
  const ins = channelList(opts.inChannels, inTotal, context, 'inChannels');
  const points = opts.points ?? 64;
  if (!Number.isInteger(points) || points < 2) throw new ConvKanArgumentError(context, 'points', 'an integer ≥ 2', show(opts.points));

  // Our layout (layers/weightLayout.ts): base/scaler [kH, kW, Cg, Cout], spline [kH, kW, Cg, nb, Cout],
  // grid [kH, kW, Cin, nk]; KANLinear is the same with kH = kW = 1.
  const base = layer.baseWeight!.read().dataSync();
  const spline = layer.splineWeight!.read().dataSync();
  const scaler = layer.splineScaler ? layer.splineScaler.read().dataSync() : null;
  const grid = layer.grid!.read().dataSync();
  const nk = gridSize + 2 * order + 1;
  const nb = gridSize + order;
  const cg = inTotal / groups;
  const og = outTotal / groups;
  const taps = kh * kw;
  const feature = (c: number, tap: number) => tap * inTotal + c; // knot row of (channel, tap) in the grid

  // Sample range: the union of the interior knot ranges of the sampled features, widened by 10 %.
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of ins)
    for (let t = 0; t < taps; t++) {
      lo = Math.min(lo, grid[feature(c, t) * nk + order]);
      hi = Math.max(hi, grid[feature(c, t) * nk + nk - 1 - order]);
    }
  const knotRange: [number, number] = [lo, hi];
  if (opts.range) {
    const [a, b] = opts.range;
    if (!(Number.isFinite(a) && Number.isFinite(b) && a < b))
      throw new ConvKanArgumentError(context, 'range', '[lo, hi] with lo < hi', show(opts.range));
    [lo, hi] = [a, b];
  }
  const pad = opts.range ? 0 : 0.1 * (hi - lo);
  const xs = Array.from({ length: points }, (_, p) => lo - pad + ((hi - lo + 2 * pad) * p) / (points - 1));
  const silu = xs.map(siluValue);

  const functions: EdgeFunction[] = [];
  const bases = new Float64Array(nb);
  for (const o of outs) {
    const g = Math.floor(o / og);
    for (const c of ins) {
      if (Math.floor(c / cg) !== g) continue; // only edges that exist: same group
      for (let ky = 0; ky < kh; ky++)
        for (let kx = 0; kx < kw; kx++) {
          const tap = ky * kw + kx;
          const edge = tap * cg + (c - g * cg); // (tap, channel-in-group) row of the HWIO weights
          const w = edge * outTotal + o; // base/scaler index
          const s = scaler ? scaler[w] : 1;
          const f = feature(c, tap);
          const baseCurve: number[] = [];
          const splineCurve: number[] = [];
          let importance = 0;
          xs.forEach((v, p) => {
            bsplineValues(v, grid, f * nk, nk, order, bases, 0);
            let acc = 0;
            for (let j = 0; j < nb; j++) acc += spline[(edge * nb + j) * outTotal + o] * bases[j];
            const b = base[w] * silu[p];
            baseCurve.push(b);
            splineCurve.push(s * acc);
            importance += Math.abs(b + s * acc);
          });
          functions.push({ out: o, in: c, ky, kx, base: baseCurve, spline: splineCurve, importance: importance / points });
        }
    }
  }

  const result: EdgeFunctionSamples = {
    layer: {
      name: layer.name,
      className: layer.getClassName(),
      basis: 'bspline',
      inChannels: inTotal,
      outChannels: outTotal,
      kernelSize: [kh, kw],
      groups,
      gridRange: knotRange,
      gridSize,
      splineOrder: order,
    },
    outChannels: outs,
    inChannels: ins,
    x: xs,
    functions,
    importanceFrom: 'grid',
  };
  const knotRows = ins.flatMap((c) =>
    Array.from({ length: taps }, (_, t) => ({ c, t, knots: Array.from(grid.subarray(feature(c, t) * nk, (feature(c, t) + 1) * nk)) })),
  );
  const same = knotRows.every((r) => r.knots.every((k, j) => k === knotRows[0].knots[j]));
  if (same && knotRows.length > 0) result.knots = knotRows[0].knots;
  else result.knotsPerInput = knotRows.map((r) => ({ in: r.c, ky: Math.floor(r.t / kw), kx: r.t % kw, knots: r.knots }));
  if (!opts.x) return result;
  const resample = (range: [number, number], n: number) =>
    sampleEdgeFunctions(layer, { outChannels: outs, inChannels: ins, points: n, range }).functions;
  return withInputStatistics(result, opts.x, edgeLayoutOf(layer, inTotal), context, resample);
}

function channelList(given: number[] | undefined, total: number, context: string, argument: string): number[] {
  if (given == null) return Array.from({ length: Math.min(4, total) }, (_, i) => i);
  if (!Array.isArray(given) || given.some((c) => !Number.isInteger(c) || c < 0 || c >= total)) {
    throw new ConvKanArgumentError(context, argument, `integers in [0, ${total})`, show(given));
  }
  return [...given];
}
