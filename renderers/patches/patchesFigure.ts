// The patches figure: padded input (one channel) | output positions | unfolded patch matrix,
// side by side in one plotly figure so a single hover handler links all three. Shapes mark the
// padded border (static) and the receptive field, output cell and patch column of the selected
// output position (replaced on hover).
import type { PatchesPayload } from '../../kernel/payloads/patches';
import type { PlotData, PlotLayout } from '../shared/plotlyTypes';
import { type Theme, themedAxis, themedLayout, withAlpha } from '../shared/theme';
import { columnOf, isPadding, type OutputPos, pixel, receptiveField, rowOf } from './patchGeometry';

/** `name` of every shape the view draws; tests and docs refer to them. */
export const PATCH_SHAPES = {
  paddingBorder: 'padding-border',
  imageBounds: 'image-bounds',
  tap: 'rf-tap',
  window: 'rf-window',
  outputCell: 'output-cell',
  column: 'patch-column',
  channelRows: 'channel-rows',
} as const;

const DOMAINS = { image: [0, 0.34], output: [0.42, 0.6], patches: [0.68, 0.94] } as const;

function grid<T>(h: number, w: number, at: (y: number, x: number) => T): T[][] {
  return Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => at(y, x)));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Per-cell hover labels cost a string per cell; above this many cells the hover text is plainer. */
const LABELLED_CELLS = 65_536;

/** A channel index, or all three channels as one RGB picture. */
export type ChannelChoice = number | 'rgb';

/** RGB is offered for 3-channel images whose values look like colours: in [0, 1] or [0, 255]. */
export function rgbScale(p: PatchesPayload): number | undefined {
  if (p.padded.channels !== 3) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of p.padded.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo < 0 || hi > 255) return undefined;
  return hi <= 1 ? 255 : 1;
}

export function patchesFigure(
  p: PatchesPayload,
  channel: ChannelChoice,
  pos: OutputPos,
  theme: Theme,
): { data: PlotData[]; layout: PlotLayout } {
  const { padded, output, patches } = p;
  const [kH, kW] = p.config.kernelSize;
  const [[top], [left]] = p.config.padding;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of padded.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === hi) hi = lo + 1;

  const rgb = channel === 'rgb' ? rgbScale(p) : undefined;
  const channels = channel === 'rgb' ? range(padded.channels) : [channel];
  const origin =
    padded.height * padded.width > LABELLED_CELLS
      ? undefined
      : grid(padded.height, padded.width, (y, x) =>
          isPadding(p, y, x) ? `padding (${p.config.paddingMode})` : `image pixel (${y - top}, ${x - left})`,
        );
  // Output cell colour: the mean of its patch over the selected channel's rows (all channels for RGB).
  const rowsOfChannel = channels.flatMap((c) => range(kH * kW).map((k) => rowOf(p, c, Math.floor(k / kW), k % kW)));
  const outputZ = grid(output.height, output.width, (oy, ox) => {
    const col = columnOf(p, { oy, ox });
    return rowsOfChannel.reduce((s, r) => s + patches.data[r * patches.cols + col], 0) / rowsOfChannel.length;
  });
  const patchZ = grid(patches.rows, patches.cols, (r, c) => patches.data[r * patches.cols + c]);
  const rowLabels = range(patches.rows).map((r) => {
    const c = Math.floor(r / (kH * kW));
    const k = r % (kH * kW);
    return `c${c} (${Math.floor(k / kW)},${k % kW})`;
  });

  const image: PlotData =
    rgb !== undefined
      ? {
          type: 'image',
          colormodel: 'rgb',
          zmin: [0, 0, 0],
          zmax: [255, 255, 255],
          xaxis: 'x',
          yaxis: 'y',
          z: grid(padded.height, padded.width, (y, x) => [0, 1, 2].map((c) => pixel(padded, y, x, c) * rgb)),
          ...(origin ? { customdata: origin } : {}),
          hovertemplate: `padded (y %{y}, x %{x})${origin ? '<br>%{customdata}' : ''}<extra>input (RGB)</extra>`,
          meta: { role: 'image', rgbScale: rgb },
        }
      : {
          type: 'heatmap',
          z: grid(padded.height, padded.width, (y, x) => pixel(padded, y, x, channel as number)),
          x: range(padded.width),
          y: range(padded.height),
          coloraxis: 'coloraxis',
          xaxis: 'x',
          yaxis: 'y',
          ...(origin ? { customdata: origin } : {}),
          hovertemplate: `padded (y %{y}, x %{x}) = %{z:.4g}${origin ? '<br>%{customdata}' : ''}<extra>input</extra>`,
          meta: { role: 'image' },
        };
  const channelText = channel === 'rgb' ? 'RGB' : `channel ${channel}`;
  const data: PlotData[] = [
    image,
    {
      type: 'heatmap',
      z: outputZ,
      x: range(output.width),
      y: range(output.height),
      coloraxis: 'coloraxis',
      xaxis: 'x2',
      yaxis: 'y2',
      xgap: 1,
      ygap: 1,
      hovertemplate: `output (oy %{y}, ox %{x})<br>mean of its patch (${channelText}) = %{z:.4g}<extra>output</extra>`,
      meta: { role: 'output' },
    },
    {
      type: 'heatmap',
      z: patchZ,
      x: range(patches.cols),
      y: range(patches.rows),
      coloraxis: 'coloraxis',
      xaxis: 'x3',
      yaxis: 'y3',
      ...(patches.rows * patches.cols <= LABELLED_CELLS
        ? {
            customdata: grid(patches.rows, patches.cols, (r) => rowLabels[r]),
            hovertemplate: 'row %{y}: %{customdata}<br>column %{x} = %{z:.4g}<extra>patch matrix</extra>',
          }
        : { hovertemplate: 'row %{y}, column %{x} = %{z:.4g}<extra>patch matrix</extra>' }),
      meta: { role: 'patches' },
    },
  ];

  const rowTicks = patches.rows <= 36;
  const layout: PlotLayout = {
    ...themedLayout(theme),
    height: 400,
    margin: { l: 40, r: 10, t: 40, b: 44 },
    hovermode: 'closest',
    uirevision: 'patches',
    coloraxis: {
      colorscale: theme.colorscale,
      cmin: lo,
      cmax: hi,
      colorbar: { x: 0.955, thickness: 12, len: 0.9, outlinewidth: 0, tickfont: { color: theme.foreground } },
    },
    xaxis: themedAxis(theme, {
      domain: DOMAINS.image,
      anchor: 'y',
      showgrid: false,
      zeroline: false,
      constrain: 'domain',
      title: { text: 'x (padded)' },
    }),
    yaxis: themedAxis(theme, {
      domain: [0, 1],
      anchor: 'x',
      autorange: 'reversed',
      showgrid: false,
      zeroline: false,
      scaleanchor: 'x',
      constrain: 'domain',
      title: { text: 'y (padded)' },
    }),
    xaxis2: themedAxis(theme, {
      domain: DOMAINS.output,
      anchor: 'y2',
      showgrid: false,
      zeroline: false,
      constrain: 'domain',
      title: { text: 'ox' },
      dtick: 1,
    }),
    yaxis2: themedAxis(theme, {
      domain: [0, 1],
      anchor: 'x2',
      autorange: 'reversed',
      showgrid: false,
      zeroline: false,
      scaleanchor: 'x2',
      constrain: 'domain',
      title: { text: 'oy', standoff: 2 },
      dtick: 1,
    }),
    xaxis3: themedAxis(theme, {
      domain: DOMAINS.patches,
      anchor: 'y3',
      showgrid: false,
      zeroline: false,
      title: { text: 'column = oy·W_out + ox' },
    }),
    yaxis3: themedAxis(theme, {
      domain: [0, 1],
      anchor: 'x3',
      autorange: 'reversed',
      showgrid: false,
      zeroline: false,
      ...(rowTicks
        ? { tickmode: 'array', tickvals: range(patches.rows), ticktext: rowLabels, tickfont: { size: Math.max(8, theme.fontSize - 3) } }
        : { title: { text: 'row = (c, i, j)' } }),
    }),
    annotations: [
      {
        text: `input, ${channelText}, padded (${p.config.paddingMode})`,
        xref: 'x domain',
        yref: 'paper',
        x: 0.5,
        y: 1.02,
        yanchor: 'bottom',
        showarrow: false,
      },
      {
        text: `output ${output.height}×${output.width}`,
        xref: 'x2 domain',
        yref: 'paper',
        x: 0.5,
        y: 1.02,
        yanchor: 'bottom',
        showarrow: false,
      },
      {
        text: `unfolded patches ${patches.rows}×${patches.cols}`,
        xref: 'x3 domain',
        yref: 'paper',
        x: 0.5,
        y: 1.02,
        yanchor: 'bottom',
        showarrow: false,
      },
    ],
    shapes: [...staticShapes(p, channel, theme), ...highlightShapes(p, pos, theme)],
  };
  return { data, layout };
}

/** The padded border (shaded band) and the original image's outline; they do not move on hover. */
export function staticShapes(p: PatchesPayload, channel: ChannelChoice, theme: Theme): PlotLayout[] {
  const [[top, bottom], [left, right]] = p.config.padding;
  const H = p.padded.height;
  const W = p.padded.width;
  const border = {
    type: 'rect',
    xref: 'x',
    yref: 'y',
    name: PATCH_SHAPES.paddingBorder,
    layer: 'above',
    line: { width: 0 },
    fillcolor: withAlpha(theme.background, 0.35),
  };
  const shapes: PlotLayout[] = [];
  const rect = (x0: number, x1: number, y0: number, y1: number) =>
    shapes.push({ ...border, x0: x0 - 0.5, x1: x1 - 0.5, y0: y0 - 0.5, y1: y1 - 0.5 });
  if (top) rect(0, W, 0, top);
  if (bottom) rect(0, W, H - bottom, H);
  if (left) rect(0, left, top, H - bottom);
  if (right) rect(W - right, W, top, H - bottom);
  if (top || bottom || left || right) {
    shapes.push({
      type: 'rect',
      xref: 'x',
      yref: 'y',
      name: PATCH_SHAPES.imageBounds,
      layer: 'above',
      x0: left - 0.5,
      x1: W - right - 0.5,
      y0: top - 0.5,
      y1: H - bottom - 0.5,
      line: { color: theme.foreground, width: 1.5, dash: 'dash' },
    });
  }
  // The selected channel's rows in the patch matrix.
  const [kH, kW] = p.config.kernelSize;
  if (p.padded.channels > 1 && channel !== 'rgb') {
    shapes.push({
      type: 'rect',
      xref: 'x3',
      yref: 'y3',
      name: PATCH_SHAPES.channelRows,
      layer: 'above',
      x0: -0.5,
      x1: p.patches.cols - 0.5,
      y0: channel * kH * kW - 0.5,
      y1: (channel + 1) * kH * kW - 0.5,
      line: { color: withAlpha(theme.foreground, 0.7), width: 1, dash: 'dot' },
    });
  }
  return shapes;
}

/** Receptive field taps and window, output cell and patch column of output position `pos`. */
export function highlightShapes(p: PatchesPayload, pos: OutputPos, theme: Theme): PlotLayout[] {
  const color = theme.colorway[3] ?? '#e51400';
  const line = { color, width: 2 };
  const taps = receptiveField(p, pos);
  const shapes: PlotLayout[] = taps.map((t) => ({
    type: 'rect',
    xref: 'x',
    yref: 'y',
    name: PATCH_SHAPES.tap,
    layer: 'above',
    x0: t.x - 0.5,
    x1: t.x + 0.5,
    y0: t.y - 0.5,
    y1: t.y + 0.5,
    line,
    fillcolor: withAlpha(color, 0.15),
  }));
  const ys = taps.map((t) => t.y);
  const xs = taps.map((t) => t.x);
  shapes.push({
    type: 'rect',
    xref: 'x',
    yref: 'y',
    name: PATCH_SHAPES.window,
    layer: 'above',
    x0: Math.min(...xs) - 0.5,
    x1: Math.max(...xs) + 0.5,
    y0: Math.min(...ys) - 0.5,
    y1: Math.max(...ys) + 0.5,
    line: { color, width: 1, dash: 'dot' },
  });
  shapes.push({
    type: 'rect',
    xref: 'x2',
    yref: 'y2',
    name: PATCH_SHAPES.outputCell,
    layer: 'above',
    x0: pos.ox - 0.5,
    x1: pos.ox + 0.5,
    y0: pos.oy - 0.5,
    y1: pos.oy + 0.5,
    line: { color, width: 2.5 },
  });
  const col = columnOf(p, pos);
  shapes.push({
    type: 'rect',
    xref: 'x3',
    yref: 'y3',
    name: PATCH_SHAPES.column,
    layer: 'above',
    x0: col - 0.5,
    x1: col + 0.5,
    y0: -0.5,
    y1: p.patches.rows - 0.5,
    line: { color, width: 2 },
  });
  return shapes;
}
