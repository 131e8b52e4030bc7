// Validates a splines payload (kernel/display/mimeTypes.ts SplinesPayload) before anything is drawn.
import { SPLINES_IMPORTANCE, type SplineFunction, type SplinesPayload } from '../../kernel/display/mimeTypes';
import { malformed, tooLarge } from '../shared/payloadError';
import * as v from '../shared/validate';

/** Limits that keep the webview responsive; each is named in the message when exceeded. */
export const SPLINE_LIMITS = {
  /** Subplots per grid: kernel positions kH·kW (9×9). */
  kernelPositions: 81,
  /** Sample points per curve. */
  samples: 4096,
  /** Curve values in the payload: functions × samples × 2 (base and spline); the kernel's own cap is 4096 × 512 × 2. */
  values: 4096 * 512 * 2,
};

export function parseSplines(json: unknown): SplinesPayload {
  const p = v.object(json, 'payload');
  v.version(p);
  const layer = v.object(p.layer, 'layer');
  const inC = v.int(layer.inChannels, 'layer.inChannels', 1);
  const outC = v.int(layer.outChannels, 'layer.outChannels', 1);
  const kernelSize = v.pair(layer.kernelSize, 'layer.kernelSize', 1);
  const gridRange = v.numbers(layer.gridRange, 'layer.gridRange', 2) as [number, number];
  if (!(gridRange[0] < gridRange[1])) throw malformed(`layer.gridRange: expected [lo, hi] with lo < hi, got [${gridRange.join(', ')}]`);
  const [kH, kW] = kernelSize;
  if (kH * kW > SPLINE_LIMITS.kernelPositions) {
    throw tooLarge(`The kernel (${kH}×${kW}) has ${kH * kW} positions, and`, kH * kW, SPLINE_LIMITS.kernelPositions, 'Kernels up to 9×9 are drawn as a grid of small plots.');
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
  if (x.length < 2) throw malformed(`x: expected at least 2 sample points, got ${x.length}`);
  if (x.length > SPLINE_LIMITS.samples) throw tooLarge('The number of sample points per curve', x.length, SPLINE_LIMITS.samples, 'Sample the curves more coarsely.');
  v.increasing(x, 'x', true);

  const fns = v.array(p.functions, 'functions');
  const values = fns.length * x.length * 2;
  if (values > SPLINE_LIMITS.values) {
    throw tooLarge(`The curve data (${fns.length} functions × ${x.length} samples × 2)`, values, SPLINE_LIMITS.values, 'Select fewer output/input channels in the kernel (e.g. a few outChannels).');
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
    if (fn.importance < 0) throw malformed(`${path}.importance: expected ≥ 0 (a size), got ${fn.importance}`);
    if (!outSet.has(fn.out)) throw malformed(`${path}.out: ${fn.out} is not listed in outChannels [${outChannels.join(', ')}]`);
    if (!inSet.has(fn.in)) throw malformed(`${path}.in: ${fn.in} is not listed in inChannels [${inChannels.join(', ')}]`);
    const key = `${fn.out}/${fn.in}/${fn.ky}/${fn.kx}`;
    if (seen.has(key)) throw malformed(`${path}: duplicate function for out=${fn.out}, in=${fn.in}, ky=${fn.ky}, kx=${fn.kx}`);
    seen.add(key);
    return fn;
  });
  if (functions.length === 0) throw malformed('functions: expected at least one learned function, got an empty array');

  const result: SplinesPayload = { version: 1, layer: parsedLayer, outChannels, inChannels, x, functions };
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
      const entry: { in: number; ky?: number; kx?: number; knots: number[] } = { in: v.int(k.in, `knotsPerInput[${i}].in`, 0, inC - 1), knots };
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
        if (c < 0) throw malformed(`${path}.counts[${j}]: expected a count ≥ 0, got ${c}`);
      });
      return { in: v.int(h.in, `${path}.in`, 0, inC - 1), edges, counts };
    });
  }
  return result;
}

function channelList(value: unknown, path: string, count: number): number[] {
  const list = v.array(value, path).map((c, i) => v.int(c, `${path}[${i}]`, 0, count - 1));
  if (list.length === 0) throw malformed(`${path}: expected at least one channel, got an empty array`);
  if (new Set(list).size !== list.length) throw malformed(`${path}: channels must be unique, got [${list.join(', ')}]`);
  return list;
}
