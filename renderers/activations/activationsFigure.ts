// The filter-activations figure for one filter: its top-k input patches as small images (largest
// activation first, one colour range for all of them, so they compare), then the activation maps
// of the first images with the top positions marked. Pure: payload + selection + theme → figure.
import type { ActivationPatch, ActivationsPayload } from '../../kernel/payloads/activations';
import type { PlotData, PlotLayout } from '../shared/plotlyTypes';
import { type Theme, themedAxis, themedLayout } from '../shared/theme';

/** A channel of the patches (an index into patchChannels), or the three of them as RGB. */
export type PatchChannel = number | 'rgb';

/** Trace `meta.role` values; tests and docs refer to them. */
export const ACTIVATION_TRACE_ROLES = ['patch', 'map', 'top'] as const;

const PATCH_ROW_PX = 110;
const MAP_ROW_PX = 190;
const MARGIN = { l: 16, r: 64, t: 28, b: 12 };
const COLS = 8;

/** RGB is offered for 3-channel patches whose values look like colours: in [0, 1] or [0, 255]; the factor to 0..255. */
export function rgbFactor(p: ActivationsPayload): number | undefined {
  if (p.patchChannels.length !== 3) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const f of p.filters)
    for (const t of f.top)
      for (const v of t.data) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
  if (lo < 0 || hi > 255) return undefined;
  return hi <= 1 ? 255 : 1;
}

function patchGrid(p: ActivationsPayload, t: ActivationPatch, at: (i: number) => number | number[]): Array<Array<number | number[]>> {
  const { height, width } = p.field;
  return Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, q) => at(r * width + q)));
}

function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) return [0, 1];
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

export function activationsFigure(
  p: ActivationsPayload,
  filterIndex: number,
  channel: PatchChannel,
  theme: Theme,
): { data: PlotData[]; layout: PlotLayout } {
  const f = p.filters[filterIndex];
  const ch = p.patchChannels.length;
  const rgb = channel === 'rgb' ? rgbFactor(p) : undefined;
  const c = channel === 'rgb' ? 0 : channel;
  const cols = Math.max(1, Math.min(COLS, Math.max(f.top.length, p.mapImages.length)));
  const patchRows = Math.ceil(f.top.length / cols);
  const mapRows = Math.ceil(p.mapImages.length / cols);
  const height = MARGIN.t + MARGIN.b + patchRows * PATCH_ROW_PX + mapRows * MAP_ROW_PX + (mapRows ? 24 : 0);
  const plotH = height - MARGIN.t - MARGIN.b;
  const data: PlotData[] = [];
  const annotations: PlotLayout[] = [];
  const layout: PlotLayout = {
    ...themedLayout(theme),
    height,
    margin: MARGIN,
    hovermode: 'closest',
    showlegend: false,
    uirevision: `activations/${f.filter}`,
    annotations,
  };
  // A cell's axes: x domain by column, y domain by a row top/bottom in pixels from the top.
  let axis = 0;
  const cell = (col: number, topPx: number, rowPx: number, titlePx: number) => {
    axis++;
    const xa = axis === 1 ? 'x' : `x${axis}`;
    const ya = axis === 1 ? 'y' : `y${axis}`;
    const gap = 0.012;
    const x0 = col / cols + gap;
    const x1 = (col + 1) / cols - gap;
    const y1 = 1 - (topPx + titlePx) / plotH; // room for the cell's title above
    const y0 = 1 - (topPx + rowPx - 4) / plotH;
    const hidden = { showgrid: false, zeroline: false, showticklabels: false, ticks: '', showline: false };
    layout[`xaxis${axis === 1 ? '' : axis}`] = themedAxis(theme, { ...hidden, domain: [x0, x1], anchor: ya, constrain: 'domain' });
    layout[`yaxis${axis === 1 ? '' : axis}`] = themedAxis(theme, {
      ...hidden,
      domain: [Math.max(0, y0), Math.min(1, y1)],
      anchor: xa,
      autorange: 'reversed',
      scaleanchor: xa,
      constrain: 'domain',
    });
    return { xa, ya };
  };
  const title = (xa: string, text: string) =>
    annotations.push({
      text,
      xref: `${xa} domain`,
      yref: `${xa.replace('x', 'y')} domain`,
      x: 0.5,
      y: 1,
      yanchor: 'bottom',
      showarrow: false,
      font: { size: theme.fontSize - 1 },
    });

  // The patches: one colour range for every patch of this filter.
  const [plo, phi] = extent(f.top.flatMap((t) => t.data.filter((_, i) => i % ch === c)));
  f.top.forEach((t, i) => {
    const { xa, ya } = cell(i % cols, Math.floor(i / cols) * PATCH_ROW_PX, PATCH_ROW_PX, 30);
    const where = `image ${t.image}, rows ${t.y}…${t.y + p.field.height - 1}, columns ${t.x}…${t.x + p.field.width - 1}`;
    const hover = `#${i + 1}: ${where}<br>output (${t.oy}, ${t.ox}) = ${t.value.toPrecision(4)}`;
    data.push(
      rgb !== undefined
        ? {
            type: 'image',
            colormodel: 'rgb',
            zmin: [0, 0, 0],
            zmax: [255, 255, 255],
            xaxis: xa,
            yaxis: ya,
            z: patchGrid(p, t, (k) => [0, 1, 2].map((q) => t.data[k * ch + q] * rgb)),
            hovertemplate: `${hover}<extra></extra>`,
            meta: { role: 'patch', rank: i, image: t.image, oy: t.oy, ox: t.ox, value: t.value },
          }
        : {
            type: 'heatmap',
            z: patchGrid(p, t, (k) => t.data[k * ch + c]),
            coloraxis: 'coloraxis',
            xaxis: xa,
            yaxis: ya,
            hovertemplate: `${hover}<br>pixel %{z:.4g}<extra></extra>`,
            meta: { role: 'patch', rank: i, image: t.image, oy: t.oy, ox: t.ox, value: t.value },
          },
    );
    title(xa, `#${i + 1} · img ${t.image}<br>${t.value.toPrecision(3)}`);
  });

  // The activation maps, each with the top positions that fall in its image.
  const [mlo, mhi] = extent(f.maps.flat());
  const mapTop = patchRows * PATCH_ROW_PX + 24;
  p.mapImages.forEach((img, i) => {
    const { xa, ya } = cell(i % cols, mapTop + Math.floor(i / cols) * MAP_ROW_PX, MAP_ROW_PX, 18);
    const { height: ho, width: wo } = p.output;
    const z = Array.from({ length: ho }, (_, y) => f.maps[i].slice(y * wo, (y + 1) * wo));
    data.push({
      type: 'heatmap',
      z,
      coloraxis: 'coloraxis2',
      xaxis: xa,
      yaxis: ya,
      hovertemplate: `image ${img}, output (%{y}, %{x}) = %{z:.4g}<extra></extra>`,
      meta: { role: 'map', image: img },
    });
    const tops = f.top.map((t, rank) => ({ t, rank })).filter(({ t }) => t.image === img);
    if (tops.length) {
      data.push({
        type: 'scatter',
        mode: 'markers',
        x: tops.map(({ t }) => t.ox),
        y: tops.map(({ t }) => t.oy),
        xaxis: xa,
        yaxis: ya,
        marker: {
          symbol: 'square-open',
          size: Math.max(6, Math.min(16, 150 / Math.max(ho, wo))),
          color: theme.colorway[3] ?? '#e51400',
          line: { width: 2 },
        },
        text: tops.map(({ rank }) => `#${rank + 1}`),
        hovertemplate: `%{text}: output (%{y}, %{x})<extra></extra>`,
        meta: { role: 'top', image: img },
      });
    }
    title(xa, `map of image ${img}`);
  });
  const bar = (y: number, len: number, label: string) => ({
    x: 1.01,
    y,
    yanchor: 'top',
    len,
    thickness: 10,
    outlinewidth: 0,
    title: { text: label, side: 'right' },
    tickfont: { color: theme.foreground },
  });
  const patchFrac = (patchRows * PATCH_ROW_PX) / plotH;
  layout.coloraxis = {
    colorscale: theme.colorscale,
    cmin: plo,
    cmax: phi,
    showscale: rgb === undefined,
    colorbar: bar(1, Math.max(0.15, patchFrac - 0.05), 'input'),
  };
  layout.coloraxis2 = {
    colorscale: theme.colorscale,
    cmin: mlo,
    cmax: mhi,
    colorbar: bar(1 - patchFrac - 24 / plotH, Math.max(0.15, 1 - patchFrac - 0.08), 'activation'),
  };
  if (!p.mapImages.length) delete layout.coloraxis2;
  return { data, layout };
}
