// What a KAN layer's edges see in real data: per input channel, a histogram of x; per edge (input
// channel c at kernel position ky, kx), the values it is applied to — for a convolution, the
// padded input (in the layer's own padding mode) at that tap of every output position — and from
// them pykan's data-weighted edge importance. Used by the splines view when the user passes x.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';
import type { ConvGeometry } from '../conv/convGeometry';
import { extractPatches } from '../conv/extractPatches';
import { padInput } from '../conv/padInput';

/** How a layer applies its edges: a linear layer to features, a convolution to padded taps. */
export type EdgeLayout =
  | { kind: 'linear'; inChannels: number }
  | { kind: 'conv'; inChannels: number; geometry: ConvGeometry; channelsFirst: boolean; oneD: boolean };

export interface EdgeKey {
  in: number;
  ky: number;
  kx: number;
}

export interface SampledEdge extends EdgeKey {
  out: number;
  base: number[];
  spline: number[];
}

const HISTOGRAM_BINS = 20;
/** Values per edge that enter the importance: evenly spread over the data, enough for a stable std. */
export const IMPORTANCE_MAX_VALUES = 4096;
/** φ is evaluated on this many even points over the inputs' range and interpolated linearly in between. */
const IMPORTANCE_POINTS = 1025;

const edgeId = (c: number, ky: number, kx: number) => `${c}/${ky}/${kx}`;

/** The channel axis of x for this layout (x is NHWC, NCHW, NLC or [..., F]). */
function channelAxis(x: tf.Tensor, layout: EdgeLayout): number {
  return layout.kind === 'conv' && layout.channelsFirst ? 1 : x.rank - 1;
}

function checkInput(x: tf.Tensor, layout: EdgeLayout, context: string): void {
  const rank = layout.kind === 'linear' ? undefined : layout.oneD ? 3 : 4;
  if (rank !== undefined && x.rank !== rank) {
    const what = layout.kind === 'conv' && layout.oneD ? '[N, L, C]' : layout.kind === 'conv' && layout.channelsFirst ? 'NCHW' : 'NHWC';
    throw new ConvKanArgumentError(context, 'x', `a rank-${rank} ${what} batch`, `shape ${show(x.shape)}`);
  }
  const axis = channelAxis(x, layout);
  if (x.rank < 1 || x.shape[axis] !== layout.inChannels) {
    throw new ConvKanArgumentError(context, 'x', `${layout.inChannels} channels on axis ${axis}`, `shape ${show(x.shape)}`);
  }
}

/** Histogram (20 even bins over the channel's own range) of every value of each listed channel. */
export function inputHistograms(
  x: tf.Tensor,
  channels: number[],
  layout: EdgeLayout,
  context: string,
): Array<{ in: number; edges: number[]; counts: number[] }> {
  checkInput(x, layout, context);
  const axis = channelAxis(x, layout);
  const total = layout.inChannels;
  const data = x.dataSync();
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const values = new Map<number, number[]>(channels.map((c) => [c, []]));
  for (let i = 0; i < data.length; i++) values.get(Math.floor(i / inner) % total)?.push(data[i]);
  return channels.map((c) => {
    const v = values.get(c)!.filter(Number.isFinite);
    let lo = Infinity;
    let hi = -Infinity;
    for (const value of v) {
      lo = Math.min(lo, value);
      hi = Math.max(hi, value);
    }
    if (!v.length) lo = hi = 0;
    const width = hi > lo ? (hi - lo) / HISTOGRAM_BINS : 1;
    const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => lo + i * width);
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (const value of v) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((value - lo) / width))]++;
    return { in: c, edges, counts };
  });
}

/** Up to `cap` entries of a strided column, evenly spread. */
function spread(data: Float32Array | Int32Array | Uint8Array, count: number, offset: number, stride: number, cap: number): Float32Array {
  const take = Math.min(count, cap);
  const out = new Float32Array(take);
  for (let i = 0; i < take; i++) out[i] = data[offset + Math.floor((i * count) / take) * stride];
  return out;
}

/**
 * For each edge (c, ky, kx) with c in `channels`, the values it was applied to in x (at most
 * IMPORTANCE_MAX_VALUES, evenly spread over samples and positions). A convolution's edge sees
 * the padded input at its tap, padding values included, as the layer computes.
 */
export function edgeInputValues(
  x: tf.Tensor,
  channels: number[],
  layout: EdgeLayout,
  context: string,
  cap = IMPORTANCE_MAX_VALUES,
): Map<string, Float32Array> {
  checkInput(x, layout, context);
  const out = new Map<string, Float32Array>();
  if (layout.kind === 'linear') {
    const data = tf.tidy(() => tf.gather(tf.reshape(x, [-1, layout.inChannels]), channels, 1).dataSync()); // [rows, |channels|]
    const rows = data.length / channels.length;
    channels.forEach((c, j) => out.set(edgeId(c, 0, 0), spread(data, rows, j, channels.length, cap)));
    return out;
  }
  const g = layout.geometry;
  const [kh, kw] = g.kernelSize;
  const { data, positions } = tf.tidy(() => {
    let nhwc = (layout.oneD ? tf.expandDims(x, 1) : layout.channelsFirst ? tf.transpose(x, [0, 2, 3, 1]) : x) as tf.Tensor4D;
    nhwc = tf.gather(nhwc, channels, 3); // only the channels asked for
    const [n, h, w] = nhwc.shape;
    // Enough samples for `cap` positions, evenly spread over the batch.
    const perSample =
      Math.max(1, Math.floor((h + g.padding[0][0] + g.padding[0][1] - g.dilation[0] * (kh - 1) - 1) / g.strides[0]) + 1) *
      Math.max(1, Math.floor((w + g.padding[1][0] + g.padding[1][1] - g.dilation[1] * (kw - 1) - 1) / g.strides[1]) + 1);
    const m = Math.min(n, Math.ceil(cap / perSample));
    const picked =
      m < n
        ? tf.gather(
            nhwc,
            Array.from({ length: m }, (_, i) => Math.floor((i * n) / m)),
          )
        : nhwc;
    // [m, Ho, Wo, |channels|·kH·kW]
    const patches = extractPatches(padInput(picked as tf.Tensor4D, g.padding, g.paddingMode), g.kernelSize, g.strides, g.dilation);
    const [pm, ho, wo, f] = patches.shape;
    return { data: tf.reshape(patches, [pm * ho * wo, f]).dataSync(), positions: pm * ho * wo };
  });
  const features = channels.length * kh * kw; // channel-major: j·kH·kW + ky·kW + kx
  channels.forEach((c, j) => {
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++) {
        out.set(edgeId(c, ky, kx), spread(data, positions, j * kh * kw + ky * kw + kx, features, cap));
      }
  });
  return out;
}

function std(v: ArrayLike<number>): number {
  if (v.length === 0) return 0;
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i];
  mean /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - mean) ** 2;
  return Math.sqrt(s / v.length);
}

/**
 * pykan's edge importance from data (KAN.forward's acts_scale): std over the inputs an edge saw
 * of φ(x), divided by (std of those inputs + 0.1). `sampleAt(range, points)` samples the edges'
 * φ = base + spline on an even grid; φ at each input is interpolated linearly between the
 * IMPORTANCE_POINTS samples (exact for the SiLU/B-spline parts up to O(h²) with h = range/1024).
 * Returns one score per function, in the order given.
 */
export function inputImportance(
  functions: Array<SampledEdge>,
  values: Map<string, Float32Array>,
  sampleAt: (range: [number, number], points: number) => SampledEdge[],
): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values.values())
    for (const value of v)
      if (Number.isFinite(value)) {
        lo = Math.min(lo, value);
        hi = Math.max(hi, value);
      }
  if (!(lo < hi)) {
    const mid = Number.isFinite(lo) ? lo : 0;
    [lo, hi] = [mid - 0.5, mid + 0.5];
  }
  const n = IMPORTANCE_POINTS;
  const dense = new Map(sampleAt([lo, hi], n).map((f) => [`${f.out}:${edgeId(f.in, f.ky, f.kx)}`, f]));
  const step = (hi - lo) / (n - 1);
  return functions.map((f) => {
    const seen = values.get(edgeId(f.in, f.ky, f.kx));
    const d = dense.get(`${f.out}:${edgeId(f.in, f.ky, f.kx)}`);
    if (!seen || !d) return 0;
    const phi = new Float64Array(seen.length);
    seen.forEach((v, i) => {
      const t = Math.min(n - 1, Math.max(0, (v - lo) / step));
      const a = Math.min(n - 2, Math.floor(t));
      const w = t - a;
      phi[i] = (1 - w) * (d.base[a] + d.spline[a]) + w * (d.base[a + 1] + d.spline[a + 1]);
    });
    return std(phi) / (std(seen) + 0.1);
  });
}

/** The edge layout of a KAN layer: a convolution when it carries a `geometry`, else linear. */
export function edgeLayoutOf(layer: tf.layers.Layer, inChannels: number): EdgeLayout {
  const geometry = (layer as { geometry?: ConvGeometry }).geometry;
  if (!geometry) return { kind: 'linear', inChannels };
  const dataFormat = (layer as { dataFormat?: unknown }).dataFormat ?? (layer.getConfig() as { dataFormat?: unknown }).dataFormat;
  return { kind: 'conv', inChannels, geometry, channelsFirst: dataFormat === 'channelsFirst', oneD: /1D$/.test(layer.getClassName()) };
}

interface Samples {
  inChannels: number[];
  functions: SampledEdge[];
  inputHistograms?: Array<{ in: number; edges: number[]; counts: number[] }>;
  importanceFrom?: 'grid' | 'inputs';
}

/**
 * Adds what x shows to sampled edge functions: the input histograms, and each function's
 * importance replaced by pykan's data-weighted score (importanceFrom 'inputs').
 */
export function withInputStatistics<S extends Samples>(
  samples: S,
  x: tf.Tensor,
  layout: EdgeLayout,
  context: string,
  sampleAt: (range: [number, number], points: number) => SampledEdge[],
): S {
  const inputHistogramsOf = inputHistograms(x, samples.inChannels, layout, context);
  const values = edgeInputValues(x, samples.inChannels, layout, context);
  const scores = inputImportance(samples.functions, values, sampleAt);
  return {
    ...samples,
    functions: samples.functions.map((f, i) => ({ ...f, importance: scores[i] })),
    inputHistograms: inputHistogramsOf,
    importanceFrom: 'inputs',
  };
}
