// The learned edge functions φ of a ConvKAN2D / KANLinear layer: the splines payload, an SVG of
// small multiples (one block of kH×kW plots per (output, input) channel pair, curves shaded by
// importance as pykan shades edges, knots as ticks, the input histogram behind) and a text table.
import { MIME_SPLINES, SPLINES_LIMITS, SPLINES_VERSION, type SplineFunction, type SplinesPayload } from '../../payloads';
import { MIME_TEXT, MimeBundle } from '../mimeTypes';
import { checkBeforeSending } from './checkBeforeSending';
import { float32Compact, float32CompactAll } from '../compactNumbers';
import { el, finiteExtent, label, PALETTE, pictureEntries, polyline, px, scale, svgDocument, text } from '../svg';

/** What a KAN layer's edgeFunctions() returns: the payload without its version. */
export type EdgeFunctionSamples = Omit<SplinesPayload, 'version'>;

export function splinesPayload(samples: EdgeFunctionSamples): { payload: SplinesPayload; notes: string[] } {
  const notes: string[] = [];
  let functions = samples.functions;
  if (functions.length > SPLINES_LIMITS.functions) {
    notes.push(`payload limited to the first ${SPLINES_LIMITS.functions} of ${functions.length} functions`);
    functions = functions.slice(0, SPLINES_LIMITS.functions);
  }
  let x = samples.x;
  if (x.length > SPLINES_LIMITS.sentSamples) {
    // Keep every k-th sample (and the last) so curves keep their whole range.
    const k = Math.ceil(x.length / SPLINES_LIMITS.sentSamples);
    const keep = x.map((_, i) => i).filter((i) => i % k === 0 || i === x.length - 1);
    notes.push(`curves thinned from ${x.length} to ${keep.length} points`);
    x = keep.map((i) => samples.x[i]);
    functions = functions.map((f) => ({ ...f, base: keep.map((i) => f.base[i]), spline: keep.map((i) => f.spline[i]) }));
  }
  const c = float32CompactAll;
  const payload: SplinesPayload = {
    version: SPLINES_VERSION,
    ...samples,
    x: c(x),
    functions: functions.map((f) => ({
      out: f.out,
      in: f.in,
      ky: f.ky,
      kx: f.kx,
      base: c(f.base),
      spline: c(f.spline),
      importance: float32Compact(f.importance),
    })),
  };
  if (samples.knots) payload.knots = c(samples.knots);
  if (samples.knotsPerInput) payload.knotsPerInput = samples.knotsPerInput.map((k) => ({ ...k, knots: c(k.knots) }));
  if (samples.importanceFrom) payload.importanceFrom = samples.importanceFrom;
  if (samples.inputHistograms)
    payload.inputHistograms = samples.inputHistograms.map((h) => ({ in: h.in, edges: c(h.edges), counts: [...h.counts] }));
  return { payload, notes };
}

const key = (o: number, i: number) => `${o}:${i}`;

function byPair(functions: SplineFunction[]): Map<string, SplineFunction[]> {
  const m = new Map<string, SplineFunction[]>();
  for (const f of functions) {
    const k = key(f.out, f.in);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(f);
  }
  return m;
}

/** The knots of one edge: per (input, kernel position) when given so, else per input, else shared. */
function knotsFor(p: SplinesPayload, f: SplineFunction): number[] {
  const own = p.knotsPerInput?.filter((k) => k.in === f.in);
  const exact = own?.find((k) => k.ky === f.ky && k.kx === f.kx) ?? own?.find((k) => k.ky === undefined);
  return exact?.knots ?? p.knots ?? [];
}

const PLOT_W = 62;
const PLOT_H = 42;
const GAP = 3;
const BLOCK_GAP = 16;
const LABEL_H = 14;

export function splinesSvg(p: SplinesPayload): string {
  const [kh, kw] = p.layer.kernelSize;
  const outs = p.outChannels.slice(0, SPLINES_LIMITS.svgOut);
  const ins = p.inChannels.slice(0, SPLINES_LIMITS.svgIn);
  const pairs = byPair(p.functions);
  const shown = p.functions.filter((f) => outs.includes(f.out) && ins.includes(f.in));
  const phi = (f: SplineFunction) => f.base.map((b, i) => b + f.spline[i]);
  const [ylo, yhi] = finiteExtent(shown.flatMap((f) => phi(f))) ?? [-1, 1];
  const pad = (yhi - ylo) * 0.08 || 1;
  const maxImportance = Math.max(1e-12, ...shown.map((f) => f.importance));
  const [x0, x1] = [p.x[0], p.x[p.x.length - 1]];
  // A mini plot is PLOT_W px wide: one vertex every ~2 px is as smooth as the eye can tell.
  const every = Math.max(1, Math.ceil(p.x.length / (PLOT_W / 2)));
  const pick = <T>(a: T[]) => a.filter((_, j) => j % every === 0 || j === a.length - 1);
  const blockW = kw * PLOT_W + (kw - 1) * GAP;
  const blockH = LABEL_H + kh * PLOT_H + (kh - 1) * GAP;
  const left = 10;
  const top = 46;
  const body: string[] = [
    text(left, 16, `Learned edge functions φ = base + spline of ${p.layer.className} "${p.layer.name}"`, { 'font-weight': '600' }),
    text(
      left,
      31,
      `x ∈ [${label(x0)}, ${label(x1)}], shared y range [${label(ylo)}, ${label(yhi)}]; opacity ∝ importance; ticks: knots; ` +
        `grey bars: inputs seen`,
      { fill: '#555' },
    ),
  ];
  // Blocks in a grid: one row per output channel and one column per input channel, except for a
  // single input channel, where the output channels wrap across up to 4 columns.
  const gridCols = ins.length === 1 ? Math.min(4, outs.length) : ins.length;
  const gridRows = ins.length === 1 ? Math.ceil(outs.length / gridCols) : outs.length;
  outs.forEach((o, r) => {
    ins.forEach((i, c) => {
      const slot = ins.length === 1 ? r : r * ins.length + c;
      const bx = left + (slot % gridCols) * (blockW + BLOCK_GAP);
      const by = top + Math.floor(slot / gridCols) * (blockH + BLOCK_GAP);
      body.push(text(bx, by + 10, `out ${o} ← in ${i}`, { fill: '#333' }));
      const fs = pairs.get(key(o, i)) ?? [];
      if (!fs.length) {
        body.push(el('rect', { x: bx, y: by + LABEL_H, width: blockW, height: blockH - LABEL_H, fill: '#f4f4f4' }));
        body.push(text(bx + 4, by + LABEL_H + 14, 'other group', { fill: '#999' }));
        return;
      }
      const hist = p.inputHistograms?.find((h) => h.in === i);
      for (const f of fs) {
        const knots = knotsFor(p, f).filter((k) => k >= x0 && k <= x1);
        const px0 = bx + f.kx * (PLOT_W + GAP);
        const py0 = by + LABEL_H + f.ky * (PLOT_H + GAP);
        const sx = scale(x0, x1, px0 + 2, px0 + PLOT_W - 2);
        const sy = scale(ylo - pad, yhi + pad, py0 + PLOT_H - 2, py0 + 2);
        body.push(el('rect', { x: px0, y: py0, width: PLOT_W, height: PLOT_H, fill: '#fafafa', stroke: '#ddd', 'stroke-width': 0.5 }));
        if (hist) body.push(histogramBars(hist, sx, py0 + PLOT_H, PLOT_H * 0.45, x0, x1));
        if (ylo - pad < 0 && yhi + pad > 0)
          body.push(el('line', { x1: px0, x2: px0 + PLOT_W, y1: sy(0), y2: sy(0), stroke: '#ccc', 'stroke-width': 0.5 }));
        if (knots.length) {
          const d = knots.map((k) => `M${px(sx(k))} ${px(py0 + PLOT_H)}v-3`).join('');
          body.push(el('path', { d, stroke: '#888', 'stroke-width': 0.6 }));
        }
        const opacity = (0.2 + 0.8 * Math.min(1, f.importance / maxImportance)).toFixed(2);
        const xs = pick(p.x).map(sx);
        body.push(polyline(xs, pick(f.base).map(sy), { stroke: PALETTE[1], 'stroke-width': 0.8, 'stroke-dasharray': '2 1.5', opacity }));
        body.push(polyline(xs, pick(phi(f)).map(sy), { stroke: PALETTE[0], 'stroke-width': 1.4, opacity }));
      }
    });
  });
  const width = left * 2 + gridCols * blockW + (gridCols - 1) * BLOCK_GAP;
  const height = top + gridRows * blockH + (gridRows - 1) * BLOCK_GAP + 22;
  body.push(
    el('line', { x1: left, x2: left + 16, y1: height - 10, y2: height - 10, stroke: PALETTE[0], 'stroke-width': 1.4 }),
    text(left + 20, height - 6, 'φ(x)'),
    el('line', { x1: left + 60, x2: left + 76, y1: height - 10, y2: height - 10, stroke: PALETTE[1], 'stroke-dasharray': '2 1.5' }),
    text(left + 80, height - 6, 'base part w_b·silu(x)'),
  );
  // Wide enough for the two header lines (about 6.2 px per character at 11 px).
  const headerW = left * 2 + 6.2 * Math.max(...body.slice(0, 2).map((t) => t.replace(/<[^>]+>/g, '').length));
  return svgDocument(Math.max(width, headerW), height, `Splines of ${p.layer.name}`, body);
}

/** The input histogram behind a plot, as one path of bars (small: one element per plot). */
function histogramBars(
  hist: { edges: number[]; counts: number[] },
  sx: (v: number) => number,
  baseY: number,
  maxH: number,
  x0: number,
  x1: number,
): string {
  const maxCount = Math.max(1, ...hist.counts);
  let d = '';
  hist.counts.forEach((c, j) => {
    const a = Math.max(x0, hist.edges[j]);
    const b = Math.min(x1, hist.edges[j + 1]);
    if (!(b > a) || c === 0) return;
    const h = (c / maxCount) * maxH;
    d += `M${px(sx(a))} ${px(baseY)}v${px(-h)}h${px(Math.max(0.3, sx(b) - sx(a)))}v${px(h)}z`;
  });
  return d ? el('path', { d, fill: '#e2e2e2' }) : '';
}

export function splinesText(p: SplinesPayload, notes: string[]): string {
  const L = p.layer;
  const grid = L.gridSize !== undefined ? `, grid ${L.gridSize}, order ${L.splineOrder}` : '';
  const lines = [
    `Learned edge functions φ of ${L.className} "${L.name}" (${L.basis}${grid}, range [${L.gridRange.map((v) => label(v)).join(', ')}])`,
    `in ${L.inChannels} → out ${L.outChannels}, kernel ${L.kernelSize.join('×')}, groups ${L.groups}; ` +
      `${p.functions.length} functions of out [${p.outChannels.join(', ')}] × in [${p.inChannels.join(', ')}], ` +
      `${p.x.length} points on [${label(p.x[0])}, ${label(p.x[p.x.length - 1])}]`,
    p.importanceFrom === 'inputs'
      ? "Importance from the inputs seen (pykan's std φ(x) / (std x + 0.1)), largest over kernel positions:"
      : 'Importance (mean |φ| over the sample points), largest over kernel positions:',
  ];
  const pairs = byPair(p.functions);
  const colW = 9;
  lines.push('        ' + p.inChannels.map((i) => `in ${i}`.padStart(colW)).join(''));
  for (const o of p.outChannels) {
    const cells = p.inChannels.map((i) => {
      const fs = pairs.get(key(o, i));
      return (fs ? label(Math.max(...fs.map((f) => f.importance))) : '—').padStart(colW);
    });
    lines.push(`out ${String(o).padEnd(4)}${cells.join('')}`);
  }
  const top = [...p.functions].sort((a, b) => b.importance - a.importance)[0];
  if (top) lines.push(`Most important: out ${top.out} ← in ${top.in} at (ky ${top.ky}, kx ${top.kx}), ${label(top.importance)}`);
  if (p.inputHistograms?.length) lines.push(`Input histograms for in [${p.inputHistograms.map((h) => h.in).join(', ')}]`);
  if (p.outChannels.length > SPLINES_LIMITS.svgOut || p.inChannels.length > SPLINES_LIMITS.svgIn) {
    notes = [...notes, `the picture shows the first ${SPLINES_LIMITS.svgOut} out × ${SPLINES_LIMITS.svgIn} in channels`];
  }
  for (const n of notes) lines.push(`Note: ${n}.`);
  return lines.join('\n');
}

export function splinesBundle(samples: EdgeFunctionSamples): MimeBundle {
  const { payload, notes } = splinesPayload(samples);
  return {
    data: {
      [MIME_SPLINES]: checkBeforeSending(MIME_SPLINES, payload),
      ...pictureEntries(splinesSvg(payload), `Learned edge functions of ${payload.layer.name}`),
      [MIME_TEXT]: splinesText(payload, notes),
    },
    metadata: {},
  };
}
