// Samples the learned edge functions φ(x) = w_b·SiLU(x) + Σ_k w_k·φ_k(x) of a variant layer as
// plain numbers, in the shape of inspect/edgeFunctions' samples (the splines view's payload
// without its version), so the same plots can show any basis family.
import { ConvKanArgumentError, show } from '../conv/argumentError';
import type * as tf from '@tensorflow/tfjs';
import { siluValue } from '../layers/kanMath';
import type { Basis } from './basis';
import type { BasisName } from './basisOptions';

/** A layer with basisKernel (and baseKernel) weights: the basis families' layers and the bottleneck's inner convolution. */
export type VariantLayer = tf.layers.Layer & { readonly basis: Basis; readonly groups?: number };

export interface BasisEdgeFunction {
  out: number;
  in: number;
  ky: number;
  kx: number;
  /** w_b·SiLU(x) at every sample point (zeros without a base branch) */
  base: number[];
  /** Σ_k w_k·φ_k(x) at every sample point */
  spline: number[];
  /** mean |base + spline| over the sample points */
  importance: number;
}

export interface BasisEdgeFunctionSamples {
  layer: {
    name: string;
    className: string;
    basis: BasisName;
    inChannels: number;
    outChannels: number;
    kernelSize: [number, number];
    groups: number;
    /** The x range sampled. */
    gridRange: [number, number];
    gridSize?: number;
    splineOrder?: number;
  };
  outChannels: number[];
  inChannels: number[];
  x: number[];
  functions: BasisEdgeFunction[];
}

export interface SampleBasisEdgeFunctionsOptions {
  /** Output channels to sample (default: the first ≤ 4). */
  outChannels?: number[];
  /** Input channels to sample (default: the first ≤ 4; each group's own inputs only). */
  inChannels?: number[];
  /** Sample points (default 64). */
  points?: number;
  /** x range; default: the grid range widened by 10 % per side (grid families), [−3, 3] (tanh-mapped polynomials). */
  range?: [number, number];
}

export function sampleBasisEdgeFunctions(layer: VariantLayer, opts: SampleBasisEdgeFunctionsOptions = {}): BasisEdgeFunctionSamples {
  const context = `${layer.getClassName()} '${layer.name}'`;
  if (!layer.built)
    throw new ConvKanArgumentError(context, 'layer', 'built (call it once or build it) before sampling its functions', 'an unbuilt layer');
  const weight = (name: string) => layer.weights.find((w) => w.originalName.endsWith(name));
  const basisKernel = weight('basisKernel')!.read();
  const baseKernel = weight('baseKernel')?.read();
  // every layer's kernels as [taps, Cg·K, Cout] and [taps, Cg, Cout]; the kernel's shape gives the
  // taps and outputs: [F·K, out] (linear), [k, Cg·K, out] (1-D), [kH, kW, Cg·K, out] (2-D)
  const ks = basisKernel.shape;
  const [kh, kw]: [number, number] = ks.length === 4 ? [ks[0], ks[1]] : ks.length === 3 ? [1, ks[0]] : [1, 1];
  const K = layer.basis.size;
  const outTotal = ks[ks.length - 1];
  const groups = layer.groups ?? 1;
  const cg = basisKernel.shape[basisKernel.rank - 2] / K;
  const inTotal = cg * groups;
  const wk = basisKernel.dataSync();
  const wb = baseKernel ? baseKernel.dataSync() : null;
  const outs = channels(opts.outChannels, outTotal, context, 'outChannels');
  const ins = channels(opts.inChannels, inTotal, context, 'inChannels');
  const points = opts.points ?? 64;
  if (!Number.isInteger(points) || points < 2) throw new ConvKanArgumentError(context, 'points', 'an integer ≥ 2', show(opts.points));
  const o = layer.basis.options;
  const settings = layer.basis.family.settings;
  const [lo, hi] = opts.range ?? layer.basis.family.sampleRange(o);
  const xs = Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  const phis = xs.map((x) => layer.basis.evaluate(x));
  const silus = xs.map(siluValue);
  const og = outTotal / groups;
  const functions: BasisEdgeFunction[] = [];
  for (const out of outs) {
    const g = Math.floor(out / og);
    for (const inp of ins) {
      if (Math.floor(inp / cg) !== g) continue; // this input does not feed this output's group
      const ci = inp - g * cg;
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const tap = ky * kw + kx;
          const base = silus.map((s) => (wb ? wb[(tap * cg + ci) * outTotal + out] * s : 0));
          const spline = phis.map((ph) => ph.reduce((sum, v, k) => sum + wk[(tap * cg * K + ci * K + k) * outTotal + out] * v, 0));
          const importance = base.reduce((s, b, i) => s + Math.abs(b + spline[i]), 0) / points;
          functions.push({ out, in: inp, ky, kx, base, spline, importance });
        }
      }
    }
  }
  return {
    layer: {
      name: layer.name,
      className: layer.getClassName(),
      basis: o.basis,
      inChannels: inTotal,
      outChannels: outTotal,
      kernelSize: [kh, kw],
      groups,
      gridRange: [lo, hi],
      ...(settings.includes('gridSize') ? { gridSize: o.gridSize } : {}),
      ...(settings.includes('splineOrder') ? { splineOrder: o.splineOrder } : {}),
    },
    outChannels: outs,
    inChannels: ins,
    x: xs,
    functions,
  };
}

function channels(list: number[] | undefined, total: number, context: string, argument: string): number[] {
  const chosen = list ?? Array.from({ length: Math.min(4, total) }, (_, i) => i);
  if (!chosen.every((c) => Number.isInteger(c) && c >= 0 && c < total))
    throw new ConvKanArgumentError(context, argument, `channel indices in [0, ${total})`, show(list));
  return chosen;
}
