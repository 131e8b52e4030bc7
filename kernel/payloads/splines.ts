// application/vnd.convkan.splines+json: the learned edge functions φ of a KAN layer, sampled on
// shared points. Documented for users in docs/mime-types.md; bump SPLINES_VERSION on breaking changes.
import * as v from './check';

export const MIME_SPLINES = 'application/vnd.convkan.splines+json';
export const SPLINES_VERSION = 1;

/** Sizes the kernel sends and the renderer draws; each is named in the message when exceeded. */
export const SPLINES_LIMITS = {
  /** Functions the kernel sends (the first ones of a large layer). */
  functions: 4096,
  /** Sample points per curve the kernel sends (it thins finer curves). */
  sentSamples: 512,
  /** Sample points per curve a payload may hold (a hand-written one may be finer than the kernel's). */
  samples: 4096,
  /** Curve values: functions × samples × 2 (base and spline), at most what the kernel sends. */
  values: 4096 * 512 * 2,
  /** Subplots per grid: kernel positions kH·kW (9×9). */
  kernelPositions: 81,
  /** Channels the kernel's SVG fallback draws. */
  svgOut: 4,
  svgIn: 4,
} as const;

export const SPLINES_IMPORTANCE = ['grid', 'inputs'] as const;
export type SplinesImportance = (typeof SPLINES_IMPORTANCE)[number];

/** One learned edge function φ of a layer: input channel `in` at kernel position (ky, kx) → output channel `out`. */
export interface SplineFunction {
  out: number;
  in: number;
  ky: number;
  kx: number;
  /** base branch w_b·silu(x), sampled at SplinesPayload.x */
  base: number[];
  /** spline branch s·Σ c_j B_j(x), sampled at SplinesPayload.x */
  spline: number[];
  /**
   * How much this edge matters; renderers shade by it, as pykan does. SplinesPayload.importanceFrom
   * says how: 'grid' (default) mean |φ| over the sample points; 'inputs' pykan's data-weighted
   * score std(φ(x)) / (std(x) + 0.1) over the inputs the edge saw.
   */
  importance: number;
}

export interface SplinesPayload {
  version: typeof SPLINES_VERSION;
  layer: {
    name: string;
    className: string;
    basis: string;
    inChannels: number;
    outChannels: number;
    kernelSize: [number, number];
    groups: number;
    gridRange: [number, number];
    gridSize?: number;
    splineOrder?: number;
  };
  /** Output and input channels included in `functions` (a subset of a large layer). */
  outChannels: number[];
  inChannels: number[];
  /** Shared sample points of every curve. */
  x: number[];
  /** Grid knots of the B-spline basis (absent for bases without knots). */
  knots?: number[];
  /**
   * Knots per input channel when they differ (after a grid update). ConvKAN2D's grid is per
   * (input channel, kernel position): then ky and kx say which position the knots belong to.
   */
  knotsPerInput?: Array<{ in: number; ky?: number; kx?: number; knots: number[] }>;
  functions: SplineFunction[];
  /** Histogram of the inputs the layer saw, per input channel, when the user passed data. */
  inputHistograms?: Array<{ in: number; edges: number[]; counts: number[] }>;
  /** What `importance` measures (see SplineFunction.importance); absent means 'grid'. */
  importanceFrom?: SplinesImportance;
}

export function parseSplines(value: unknown): SplinesPayload {
  return v.parseAs(MIME_SPLINES, value, splinesFields);
}

function splinesFields(p: v.Json): SplinesPayload {
  v.version(p, SPLINES_VERSION);
  const layer = v.object(p.layer, 'layer');
  const inC = v.int(layer.inChannels, 'layer.inChannels', 1);
  const outC = v.int(layer.outChannels, 'layer.outChannels', 1);
  const kernelSize = v.pair(layer.kernelSize, 'layer.kernelSize', 1);
  const gridRange = v.numbers(layer.gridRange, 'layer.gridRange', 2) as [number, number];
  if (!(gridRange[0] < gridRange[1])) throw v.malformed(`layer.gridRange: expected [lo, hi] with lo < hi, got [${gridRange.join(', ')}]`);
  const [kH, kW] = kernelSize;
  if (kH * kW > SPLINES_LIMITS.kernelPositions) {
    throw v.tooLarge(
      `The kernel (${kH}×${kW}) has ${kH * kW} positions, and`,
      kH * kW,
      SPLINES_LIMITS.kernelPositions,
      'Kernels up to 9×9 are drawn as a grid of small plots.',
    );
  }
  const parsedLayer: SplinesPayload['layer'] = {
    name: v.string(layer.name, 'layer.name'),
    className: v.string(layer.className, 'layer.className'),
    basis: v.string(layer.basis, 'layer.basis'),
    inChannels: inC,
    outChannels: outC,
    kernelSize,
    groups: v.int(layer.groups, 'layer.groups', 1),
    gridRange,
    ...(layer.gridSize !== undefined ? { gridSize: v.int(layer.gridSize, 'layer.gridSize', 1) } : {}),
    ...(layer.splineOrder !== undefined ? { splineOrder: v.int(layer.splineOrder, 'layer.splineOrder', 0) } : {}),
  };

  const outChannels = channelList(p.outChannels, 'outChannels', outC);
  const inChannels = channelList(p.inChannels, 'inChannels', inC);
  const x = v.numbers(p.x, 'x');
  if (x.length < 2) throw v.malformed(`x: expected at least 2 sample points, got ${x.length}`);
  if (x.length > SPLINES_LIMITS.samples)
    throw v.tooLarge('The number of sample points per curve', x.length, SPLINES_LIMITS.samples, 'Sample the curves more coarsely.');
  v.increasing(x, 'x', true);

  const fns = v.array(p.functions, 'functions');
  const values = fns.length * x.length * 2;
  if (values > SPLINES_LIMITS.values) {
    throw v.tooLarge(
      `The curve data (${fns.length} functions × ${x.length} samples × 2)`,
      values,
      SPLINES_LIMITS.values,
      'Select fewer output/input channels in the kernel (e.g. a few outChannels).',
    );
  }
  const outSet = new Set(outChannels);
  const inSet = new Set(inChannels);
  const seen = new Set<string>();
  const functions = fns.map((raw, i): SplineFunction => {
    const path = `functions[${i}]`;
    const f = v.object(raw, path);
    const fn: SplineFunction = {
      out: v.int(f.out, `${path}.out`, 0, outC - 1),
      in: v.int(f.in, `${path}.in`, 0, inC - 1),
      ky: v.int(f.ky, `${path}.ky`, 0, kH - 1),
      kx: v.int(f.kx, `${path}.kx`, 0, kW - 1),
      base: v.numbers(f.base, `${path}.base`, x.length),
      spline: v.numbers(f.spline, `${path}.spline`, x.length),
      importance: v.finite(f.importance, `${path}.importance`),
    };
    if (fn.importance < 0) throw v.malformed(`${path}.importance: expected ≥ 0 (a size), got ${fn.importance}`);
    if (!outSet.has(fn.out)) throw v.malformed(`${path}.out: expected one of outChannels [${outChannels.join(', ')}], got ${fn.out}`);
    if (!inSet.has(fn.in)) throw v.malformed(`${path}.in: expected one of inChannels [${inChannels.join(', ')}], got ${fn.in}`);
    const key = `${fn.out}/${fn.in}/${fn.ky}/${fn.kx}`;
    if (seen.has(key)) throw v.malformed(`${path}: duplicate function for out=${fn.out}, in=${fn.in}, ky=${fn.ky}, kx=${fn.kx}`);
    seen.add(key);
    return fn;
  });
  if (functions.length === 0) throw v.malformed('functions: expected at least one learned function, got an empty array');

  const result: SplinesPayload = { version: SPLINES_VERSION, layer: parsedLayer, outChannels, inChannels, x, functions };
  if (p.importanceFrom !== undefined) result.importanceFrom = v.oneOf(p.importanceFrom, 'importanceFrom', SPLINES_IMPORTANCE);
  if (p.knots !== undefined) {
    result.knots = v.numbers(p.knots, 'knots');
    v.increasing(result.knots, 'knots', false);
  }
  if (p.knotsPerInput !== undefined) {
    result.knotsPerInput = v.array(p.knotsPerInput, 'knotsPerInput').map((raw, i) => {
      const k = v.object(raw, `knotsPerInput[${i}]`);
      const knots = v.numbers(k.knots, `knotsPerInput[${i}].knots`);
      v.increasing(knots, `knotsPerInput[${i}].knots`, false);
      const entry: { in: number; ky?: number; kx?: number; knots: number[] } = {
        in: v.int(k.in, `knotsPerInput[${i}].in`, 0, inC - 1),
        knots,
      };
      // ConvKAN2D after a grid update: knots per kernel position too.
      if (k.ky !== undefined) entry.ky = v.int(k.ky, `knotsPerInput[${i}].ky`, 0, kH - 1);
      if (k.kx !== undefined) entry.kx = v.int(k.kx, `knotsPerInput[${i}].kx`, 0, kW - 1);
      return entry;
    });
  }
  if (p.inputHistograms !== undefined) {
    result.inputHistograms = v.array(p.inputHistograms, 'inputHistograms').map((raw, i) => {
      const path = `inputHistograms[${i}]`;
      const h = v.object(raw, path);
      const counts = v.numbers(h.counts, `${path}.counts`);
      const edges = v.numbers(h.edges, `${path}.edges`, counts.length + 1);
      v.increasing(edges, `${path}.edges`, true);
      counts.forEach((c, j) => {
        if (c < 0) throw v.malformed(`${path}.counts[${j}]: expected a count ≥ 0, got ${c}`);
      });
      return { in: v.int(h.in, `${path}.in`, 0, inC - 1), edges, counts };
    });
  }
  return result;
}

function channelList(value: unknown, path: string, count: number): number[] {
  const list = v.array(value, path).map((c, i) => v.int(c, `${path}[${i}]`, 0, count - 1));
  if (list.length === 0) throw v.malformed(`${path}: expected at least one channel, got an empty array`);
  if (new Set(list).size !== list.length) throw v.malformed(`${path}: channels must be unique, got [${list.join(', ')}]`);
  return list;
}
