// Builds the plotly figure for one (output, input) channel pair: a kH × kW grid of small plots,
// one per kernel position, each showing φ(x) = base + spline with its knots, optionally the two
// parts and the histogram of inputs the layer saw. Pure: payload + selection + theme → figure.
import type { SplineFunction, SplinesPayload } from '../../kernel/payloads/splines';
import type { PlotData, PlotLayout } from '../shared/plotlyTypes';
import { type Theme, themedAxis, themedLayout, withAlpha } from '../shared/theme';
import { gridEndsFor, importanceLabel, knotsFor } from './splineEdges';

export interface SplinesSelection {
  out: number;
  in: number;
  /** Draw the base (w_b·silu) and spline parts as separate dashed curves. */
  showParts: boolean;
  showHistogram: boolean;
  /** One y range for all kernel positions, so sizes compare across the grid. */
  sharedY: boolean;
}

/** Trace `meta.role` values; tests and docs refer to them. */
export const SPLINE_TRACE_ROLES = ['histogram', 'base', 'spline', 'phi', 'knots'] as const;

const CELL_HEIGHT = 150;
const MARGIN = { l: 44, r: 12, t: 24, b: 64 }; // bottom room: tick labels + legend

export function functionKey(out: number, inC: number, ky: number, kx: number): string {
  return `${out}/${inC}/${ky}/${kx}`;
}

/** Importance relative to the most important function in the payload, in [0, 1] (pykan shades edges this way). */
export function relativeImportance(payload: SplinesPayload): (f: SplineFunction) => number {
  const max = payload.functions.reduce((m, f) => Math.max(m, f.importance), 0);
  return (f) => (max > 0 ? f.importance / max : 1);
}

/** Linear interpolation of samples (xs, ys) at t; xs strictly increasing, t inside [xs0, xsN]. */
function interpolate(xs: number[], ys: number[], t: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= t) lo = mid;
    else hi = mid;
  }
  const w = xs[hi] === xs[lo] ? 0 : (t - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + w * (ys[hi] - ys[lo]);
}

export function splinesFigure(payload: SplinesPayload, sel: SplinesSelection, theme: Theme): { data: PlotData[]; layout: PlotLayout } {
  const [kH, kW] = payload.layer.kernelSize;
  const byKey = new Map(payload.functions.map((f) => [functionKey(f.out, f.in, f.ky, f.kx), f]));
  const rel = relativeImportance(payload);
  const x = payload.x;
  const xRange = [x[0], x[x.length - 1]];
  const hist = sel.showHistogram ? payload.inputHistograms?.find((h) => h.in === sel.in) : undefined;
  const [phiColor, baseColor, splineColor] = theme.colorway;
  const cells = kH * kW;
  // Importance shading fades weak curves; high contrast themes must keep every curve legible.
  const floor = theme.kind.startsWith('high-contrast') ? 0.65 : 0.2;
  const shade = (r: number) => floor + (1 - floor) * r;

  // Shared y range over the selected (out, in) pair, when asked for.
  let sharedRange: [number, number] | undefined;
  if (sel.sharedY) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const f of payload.functions) {
      if (f.out !== sel.out || f.in !== sel.in) continue;
      for (let i = 0; i < x.length; i++) {
        const vals = sel.showParts ? [f.base[i] + f.spline[i], f.base[i], f.spline[i]] : [f.base[i] + f.spline[i]];
        for (const val of vals) {
          lo = Math.min(lo, val);
          hi = Math.max(hi, val);
        }
      }
    }
    if (Number.isFinite(lo)) {
      const pad = (hi - lo || 1) * 0.08;
      sharedRange = [lo - pad, hi + pad];
    }
  }

  const data: PlotData[] = [];
  const layout: PlotLayout = {
    ...themedLayout(theme),
    height: kH * CELL_HEIGHT + MARGIN.t + MARGIN.b,
    margin: MARGIN,
    showlegend: true,
    legend: {
      orientation: 'h',
      x: 0,
      y: 0,
      yanchor: 'bottom',
      yref: 'container',
      font: { color: theme.foreground },
      bgcolor: 'rgba(0,0,0,0)',
    },
    hovermode: 'closest',
    annotations: [] as PlotLayout[],
    shapes: [] as PlotLayout[],
    uirevision: `${sel.out}/${sel.in}`,
  };
  const annotations = layout.annotations as PlotLayout[];
  const shapes = layout.shapes as PlotLayout[];
  const imp = importanceLabel(payload);
  const gapX = 0.04;
  const gapY = 0.09;
  const histMax = hist ? Math.max(1, ...hist.counts) : 1;

  for (let ky = 0; ky < kH; ky++) {
    for (let kx = 0; kx < kW; kx++) {
      const n = ky * kW + kx + 1; // plotly axis number of this cell
      const xa = n === 1 ? 'x' : `x${n}`;
      const ya = n === 1 ? 'y' : `y${n}`;
      const hy = `y${cells + n}`; // hidden axis for the histogram, overlaid on this cell
      const x0 = kx / kW + (kx > 0 ? gapX / 2 : 0);
      const x1 = (kx + 1) / kW - (kx < kW - 1 ? gapX / 2 : 0);
      const y1 = 1 - ky / kH - (ky > 0 ? gapY / 2 : 0);
      const y0 = 1 - (ky + 1) / kH + (ky < kH - 1 ? gapY / 2 : 0);
      const f = byKey.get(functionKey(sel.out, sel.in, ky, kx));
      const first = n === 1;
      const where = `(ky=${ky}, kx=${kx})`;

      layout[`xaxis${n === 1 ? '' : n}`] = themedAxis(theme, {
        domain: [x0, x1],
        anchor: ya,
        range: xRange,
        showticklabels: ky === kH - 1,
        ticks: 'outside',
        ticklen: 3,
        zeroline: false,
      });
      layout[`yaxis${n === 1 ? '' : n}`] = themedAxis(theme, {
        domain: [y0, y1],
        anchor: xa,
        zeroline: true,
        ticks: 'outside',
        ticklen: 3,
        ...(sharedRange ? { range: sharedRange, autorange: false, showticklabels: kx === 0 } : { autorange: true }),
      });
      layout[`yaxis${cells + n}`] = { overlaying: ya, anchor: xa, range: [0, histMax * 3], visible: false, fixedrange: true };
      // Where the samples reach past this edge's grid, mark its ends: outside them the B-spline
      // part is extrapolated (zero for efficient-kan) and only the base branch acts.
      for (const g of gridEndsFor(payload, sel.in, ky, kx).filter((e) => e > xRange[0] && e < xRange[1])) {
        shapes.push({
          type: 'line',
          name: 'grid-range',
          xref: xa,
          yref: `${ya} domain`,
          x0: g,
          x1: g,
          y0: 0,
          y1: 1,
          layer: 'below',
          line: { color: withAlpha(theme.foreground, 0.45), width: 1, dash: 'dot' },
        });
      }

      if (!f) {
        annotations.push({
          text: `${where}<br>not connected`,
          xref: `${xa} domain`,
          yref: `${ya} domain`,
          x: 0.5,
          y: 0.5,
          showarrow: false,
          font: { color: withAlpha(theme.foreground, 0.6), size: theme.fontSize - 1 },
        });
        // An empty trace keeps the axes of this cell drawn.
        data.push({
          type: 'scatter',
          x: [],
          y: [],
          xaxis: xa,
          yaxis: ya,
          showlegend: false,
          hoverinfo: 'skip',
          meta: { role: 'empty', ky, kx },
        });
        continue;
      }
      const r = rel(f);
      const phi = f.base.map((b, i) => b + f.spline[i]);
      annotations.push({
        text: `${where} · ${imp} ${f.importance.toPrecision(3)}`,
        xref: `${xa} domain`,
        yref: `${ya} domain`,
        x: 0.5,
        y: 1,
        yanchor: 'bottom',
        showarrow: false,
        font: { size: theme.fontSize - 1, color: withAlpha(theme.foreground, 0.45 + 0.55 * r) },
      });
      if (hist) {
        const centers = hist.counts.map((_, i) => (hist.edges[i] + hist.edges[i + 1]) / 2);
        const widths = hist.counts.map((_, i) => hist.edges[i + 1] - hist.edges[i]);
        data.push({
          type: 'bar',
          x: centers,
          y: hist.counts,
          width: widths,
          xaxis: xa,
          yaxis: hy,
          name: 'inputs seen',
          legendgroup: 'histogram',
          showlegend: first,
          marker: { color: withAlpha(theme.foreground, 0.14), line: { width: 0 } },
          hovertemplate: `inputs in [%{customdata[0]:.3g}, %{customdata[1]:.3g}): %{y}<extra>in ${sel.in}</extra>`,
          customdata: hist.counts.map((_, i) => [hist.edges[i], hist.edges[i + 1]]),
          meta: { role: 'histogram', ky, kx },
        });
      }
      if (sel.showParts) {
        data.push({
          type: 'scatter',
          mode: 'lines',
          x,
          y: f.base,
          xaxis: xa,
          yaxis: ya,
          name: 'base w_b·silu(x)',
          legendgroup: 'base',
          showlegend: first,
          line: { color: withAlpha(baseColor, 0.35 + 0.65 * r), width: 1.2, dash: 'dash' },
          hovertemplate: `base(%{x:.3f}) = %{y:.4g}<extra>${where}</extra>`,
          meta: { role: 'base', ky, kx },
        });
        data.push({
          type: 'scatter',
          mode: 'lines',
          x,
          y: f.spline,
          xaxis: xa,
          yaxis: ya,
          name: 'spline s·ΣcB(x)',
          legendgroup: 'spline',
          showlegend: first,
          line: { color: withAlpha(splineColor, 0.35 + 0.65 * r), width: 1.2, dash: 'dot' },
          hovertemplate: `spline(%{x:.3f}) = %{y:.4g}<extra>${where}</extra>`,
          meta: { role: 'spline', ky, kx },
        });
      }
      data.push({
        type: 'scatter',
        mode: 'lines',
        x,
        y: phi,
        xaxis: xa,
        yaxis: ya,
        name: 'φ(x) = base + spline',
        legendgroup: 'phi',
        showlegend: first,
        line: { color: withAlpha(phiColor, shade(r)), width: 1 + 1.5 * r },
        hovertemplate: `φ(%{x:.3f}) = %{y:.4g}<extra>${where} ${imp} ${f.importance.toPrecision(3)}</extra>`,
        meta: { role: 'phi', ky, kx, importance: f.importance, relativeImportance: r },
      });
      const knots = knotsFor(payload, sel.in, ky, kx).filter((k) => k >= xRange[0] && k <= xRange[1]);
      if (knots.length) {
        data.push({
          type: 'scatter',
          mode: 'markers',
          x: knots,
          y: knots.map((k) => interpolate(x, phi, k)),
          xaxis: xa,
          yaxis: ya,
          name: 'knots',
          legendgroup: 'knots',
          showlegend: first,
          marker: { symbol: 'circle-open', size: 5, color: withAlpha(phiColor, 0.3 + 0.7 * r), line: { width: 1 } },
          hovertemplate: `knot t = %{x:.3f}<extra>${where}</extra>`,
          meta: { role: 'knots', ky, kx },
        });
      }
    }
  }
  return { data, layout };
}

export function describeLayer(p: SplinesPayload): string {
  const l = p.layer;
  const parts = [
    `${l.className} (${l.basis})`,
    `${l.inChannels}→${l.outChannels} channels`,
    `kernel ${l.kernelSize[0]}×${l.kernelSize[1]}`,
    `grid [${+l.gridRange[0].toPrecision(3)}, ${+l.gridRange[1].toPrecision(3)}]`,
  ];
  if (l.gridSize !== undefined) parts.push(`${l.gridSize} intervals`);
  if (l.splineOrder !== undefined) parts.push(`order ${l.splineOrder}`);
  if (l.groups > 1) parts.push(`${l.groups} groups`);
  return parts.join(' · ');
}
